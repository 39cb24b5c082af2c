package dev.resnetops.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.testsupport.TestTokens;
import dev.resnetops.testsupport.TopicProbe;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registering datasets through the HTTP API with the orchestrator and the ingestion service running as
 * processes on the real broker and database: the whole front door, as a user meets it.
 */
class DatasetIngestionSystemTest {

    // Signed with the test key the services started by ServiceProcess trust.
    private static final String TOKEN = TestTokens.forRole("admin");
    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private static ServiceProcess orchestrator;
    private static ServiceProcess ingestion;

    @TempDir
    Path temp;

    @BeforeAll
    static void startServices() throws IOException {
        Path dataRoot = Files.createDirectories(Path.of("target/system-data").toAbsolutePath());
        Map<String, String> env = Map.of("MLOPS_DATA_ROOT", dataRoot.toString());
        orchestrator = ServiceProcess.start("orchestrator", env); // migrates the schema first
        ingestion = ServiceProcess.start("ingestion", env);
    }

    @AfterAll
    static void stopServices() throws InterruptedException {
        if (ingestion != null) {
            ingestion.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private static RequestSpecification api() {
        return given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).contentType(ContentType.JSON);
    }

    private static String register(String name, Path source) {
        return api().body(Map.of("name", name, "source", source.toString())).post("/datasets")
                .then().statusCode(202).extract().path("id");
    }

    /** Polls the dataset until ingestion has finished, either way. */
    private static JsonPath awaitFinished(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath dataset = given().baseUri(orchestrator.baseUrl()).auth().oauth2(TOKEN).get("/datasets/" + id).then().statusCode(200)
                    .extract().jsonPath();
            if (!"INGESTING".equals(dataset.getString("status"))) {
                return dataset;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("dataset " + id + " still INGESTING after " + timeout.toSeconds() + " s; ingestion log:\n"
                + ingestion.tail());
    }

    @Test
    void registersFashionMnistFromItsIdxFilesAndTrainsOnIt() throws Exception {
        assertThat(FASHION_MNIST).as("Debian package dataset-fashion-mnist (install-prerequisites.sh)").isDirectory();
        String id = register("fashion-mnist-" + UUID.randomUUID().toString().substring(0, 6), FASHION_MNIST);

        JsonPath dataset = awaitFinished(id, Duration.ofMinutes(4));
        assertThat(dataset.getString("status")).as(dataset.prettify()).isEqualTo("READY");
        assertThat(dataset.getInt("version.counts.train")).isEqualTo(60_000);
        assertThat(dataset.getInt("version.counts.test")).isEqualTo(10_000);
        assertThat(dataset.getList("version.classes")).hasSize(10).contains("T-shirt/top", "Ankle boot");
        Map<String, Integer> trainPerClass = dataset.getMap("version.classCounts.train");
        Map<String, Integer> testPerClass = dataset.getMap("version.classCounts.test");
        assertThat(trainPerClass).hasSize(10).allSatisfy((cls, n) -> assertThat(n).isEqualTo(6_000));
        assertThat(testPerClass).hasSize(10).allSatisfy((cls, n) -> assertThat(n).isEqualTo(1_000));
        assertThat(dataset.getString("version.contentHash")).hasSize(64);
        assertThat(dataset.getList("problems")).isEmpty();

        String job = api().body(Map.of("dataset", id, "config", Map.of("model", "resnet50-paper-small", "epochs", 2)))
                .post("/jobs").then().statusCode(201).extract().path("id");
        List<ConsumerRecord<String, String>> commands = TopicProbe.recordsWithKey(Infrastructure.kafka(),
                Topics.TRAINING_COMMANDS, job, Duration.ofSeconds(30), Duration.ofSeconds(2));
        assertThat(commands).hasSize(1);
        StartTraining command = MessageCodec.fromJson(commands.get(0).value(), StartTraining.class);
        assertThat(command.shardLocation()).isEqualTo(dataset.getString("version.shardLocation"));
        assertThat(Path.of(command.shardLocation()).resolve("manifest.json")).isRegularFile();
    }

    @Test
    void quarantinesACorruptImageListsItAndIngestsTheRest() throws Exception {
        Path root = TinyImageFolder.write(temp.resolve("pets"), 0);
        Files.write(root.resolve("train/cat/broken.png"), "this is not a PNG".getBytes());

        JsonPath dataset = awaitFinished(register("pets-" + UUID.randomUUID().toString().substring(0, 6), root),
                Duration.ofMinutes(1));
        assertThat(dataset.getString("status")).as(dataset.prettify()).isEqualTo("READY");
        assertThat(dataset.getInt("version.counts.train")).isEqualTo(6);
        List<Map<String, String>> problems = dataset.getList("problems");
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).get("field")).contains("broken.png");
        assertThat(problems.get(0).get("message")).isNotBlank();
    }

    @Test
    void registeringTheSameContentTwiceYieldsTheSameVersion() throws Exception {
        Path root = TinyImageFolder.write(temp.resolve("twice"), 0);
        JsonPath first = awaitFinished(register("twice-a", root), Duration.ofMinutes(1));
        JsonPath second = awaitFinished(register("twice-b", root), Duration.ofMinutes(1));
        assertThat(first.getString("status")).isEqualTo("READY");
        assertThat(second.getString("version.id")).isEqualTo(first.getString("version.id"));
        assertThat(second.getString("version.contentHash")).isEqualTo(first.getString("version.contentHash"));
    }

    @Test
    void refusesAnArchiveWhoseEntriesWouldEscapeTheExtractionFolder() throws Exception {
        Path archive = temp.resolve("slip.zip");
        String escapee = "escaped-" + UUID.randomUUID() + ".txt";
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
            zip.putNextEntry(new ZipEntry("data/train/cat/a.png"));
            ImageIO.write(TinyImageFolder.image(1, 0), "png", zip);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("../../../../../../tmp/" + escapee));
            zip.write("owned".getBytes());
            zip.closeEntry();
        }
        JsonPath dataset = awaitFinished(register("slip", archive), Duration.ofMinutes(1));
        assertThat(dataset.getString("status")).isEqualTo("FAILED");
        assertThat(dataset.getString("error")).contains(escapee);
        assertThat(Path.of("/tmp", escapee)).doesNotExist();
    }
}
