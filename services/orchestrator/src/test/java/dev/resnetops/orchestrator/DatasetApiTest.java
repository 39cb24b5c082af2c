package dev.resnetops.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import dev.resnetops.apisecurity.Roles;
import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.testsupport.TestTokens;
import dev.resnetops.testsupport.TopicProbe;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Registering datasets through the API: validation here, the ingestion command on the real broker. */
@QuarkusTest
class DatasetApiTest {

    private static String kafka() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    private static RequestSpecification authorized() {
        return given().auth().oauth2(TestTokens.forRole(Roles.ADMIN))
                .contentType(ContentType.JSON);
    }

    @Test
    void registersAFolderAndSendsTheIngestionCommandOnce() throws IOException {
        Path folder = Files.createTempDirectory("dataset-src");
        String name = "ds-" + UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        String request = "{\"name\":\"" + name + "\",\"source\":\"" + folder + "\"}";

        String id = authorized().header("Idempotency-Key", key).body(request).post("/datasets")
                .then().statusCode(202).body("status", equalTo("INGESTING")).body("name", equalTo(name))
                .body("source", equalTo(folder.toString()))
                .extract().path("id");
        authorized().header("Idempotency-Key", key).body(request).post("/datasets")
                .then().statusCode(200).body("id", equalTo(id));
        given().get("/datasets/" + id).then().statusCode(200).body("status", equalTo("INGESTING"));
        given().queryParam("size", 200).get("/datasets").then().statusCode(200).body("items.id", hasItem(id));

        List<ConsumerRecord<String, String>> records = TopicProbe.recordsWithKey(kafka(), Topics.DATASET_COMMANDS, id,
                Duration.ofSeconds(20), Duration.ofSeconds(2));
        assertThat(records).hasSize(1);
        IngestDataset command = MessageCodec.fromJson(records.get(0).value(), IngestDataset.class);
        assertThat(command.source()).isEqualTo(folder.toString());
        assertThat(command.name()).isEqualTo(name);
    }

    @Test
    void namesEveryProblemOfAnInvalidRegistration() {
        authorized().body("{\"name\":\"bad name!\",\"source\":\"/no/such/folder\"}").post("/datasets")
                .then().statusCode(400)
                .body("problems.field", hasItems("name", "source"))
                .body("problems.message", hasItem(containsString("'/no/such/folder' does not exist")));
        authorized().body("{\"name\":\"ok\",\"source\":\"relative/path\"}").post("/datasets")
                .then().statusCode(400).body("message", containsString("absolute path"));
        authorized().body("{}").post("/datasets")
                .then().statusCode(400).body("problems.field", hasItems("name", "source"));
    }

    @Test
    void refusesAFileThatIsNotASupportedArchive() throws IOException {
        Path file = Files.createTempFile("notes", ".txt");
        authorized().body("{\"name\":\"txt\",\"source\":\"" + file + "\"}").post("/datasets")
                .then().statusCode(400).body("message", containsString("not a supported archive"));
    }

    @Test
    void answers404ForAnUnknownDataset() {
        given().get("/datasets/" + UUID.randomUUID()).then().statusCode(404).body("message", containsString("no dataset"));
    }

    @Test
    void needsTheTokenToRegister() {
        given().auth().none().contentType(ContentType.JSON).body("{\"name\":\"x\",\"source\":\"/tmp\"}")
                .post("/datasets").then().statusCode(401);
    }
}
