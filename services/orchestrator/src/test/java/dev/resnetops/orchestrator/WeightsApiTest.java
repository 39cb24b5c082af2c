package dev.resnetops.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.resnetops.apisecurity.Roles;
import dev.resnetops.testsupport.TestDatasets;
import dev.resnetops.testsupport.TestTokens;
import dev.resnetops.vision.data.Sha256;
import io.agroal.api.AgroalDataSource;
import io.restassured.RestAssured;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Uploading weights files (PUT /weights/{name}) against the real PostgreSQL, with files PyTorch wrote,
 * and what a job's init may name at submission.
 */
@QuarkusTest
class WeightsApiTest {

    private static final Path FIXTURES = Path.of("../vision/core/src/test/resources/pretrained").toAbsolutePath();

    @Inject
    AgroalDataSource db;

    private static RequestSpecification submitter() {
        return given().auth().oauth2(TestTokens.forRole(Roles.SUBMITTER));
    }

    private static String name() {
        return "w-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void keepsAnUploadedFileUnderItsNameAndSha256() throws Exception {
        byte[] file = Files.readAllBytes(FIXTURES.resolve("tensors.safetensors"));
        String sha256 = Sha256.hex(file);
        String name = name();
        submitter().contentType(ContentType.BINARY).body(file).put("/weights/" + name)
                .then().statusCode(201)
                .body("name", equalTo(name)).body("init", equalTo("weights:" + name))
                .body("sha256", equalTo(sha256)).body("format", equalTo("safetensors"))
                .body("sizeBytes", equalTo(file.length))
                .body("notes", hasItem(containsString("bf16 tensor, converted to float32"))); // and said so
        assertThat(weightsFolder().resolve(sha256 + ".safetensors")).hasBinaryContent(file);

        // The same bytes again change nothing; other bytes under the name are refused.
        submitter().contentType(ContentType.BINARY).body(file).put("/weights/" + name).then().statusCode(200);
        byte[] other = Files.readAllBytes(FIXTURES.resolve("tensors.pth"));
        submitter().contentType(ContentType.BINARY).body(other).put("/weights/" + name)
                .then().statusCode(409).body("message", containsString("a name keeps its file"));
        given().auth().oauth2(TestTokens.forRole(Roles.VIEWER)).get("/weights/" + name)
                .then().statusCode(200).body("sha256", equalTo(sha256));
        given().auth().oauth2(TestTokens.forRole(Roles.VIEWER)).get("/weights")
                .then().statusCode(200).body("name", hasItem(name));
    }

    @Test
    void refusesACorruptOrHostileFileWithTheReasonAndKeepsNothing() throws Exception {
        byte[] whole = Files.readAllBytes(FIXTURES.resolve("tensors.pth"));
        List<String> before = folderListing();
        record Case(byte[] body, String reason) {
        }
        for (Case c : List.of(
                new Case(Arrays.copyOf(whole, whole.length - 100), "truncated"),
                new Case(Files.readAllBytes(FIXTURES.resolve("evil-system.pth")), "posix.system"),
                new Case(Files.readAllBytes(FIXTURES.resolve("evil-eval.pth")), "eval"),
                new Case("not weights at all".getBytes(), "neither a safetensors file nor a PyTorch checkpoint"),
                new Case(new byte[0], "empty"))) {
            String name = name();
            submitter().contentType(ContentType.BINARY).body(c.body()).put("/weights/" + name)
                    .then().statusCode(400).body("problems.field", hasItem("body"))
                    .body("message", containsString(c.reason()));
            assertThat(rows(name)).as("no row for a refused upload").isZero();
        }
        assertThat(folderListing()).as("no file is left behind, not even a partial one").isEqualTo(before);
        submitter().contentType(ContentType.BINARY).body(whole).put("/weights/bad name!")
                .then().statusCode(400).body("problems.field", hasItem("name"));
    }

    @Test
    void aJobsInitMustNameSomethingThatExistsAtSubmission() throws Exception {
        String dataset = "weights-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, dataset);
        String name = name();
        submitter().contentType(ContentType.BINARY).body(Files.readAllBytes(FIXTURES.resolve("tensors.safetensors")))
                .put("/weights/" + name).then().statusCode(201);

        submit(dataset, "weights:" + name).then().statusCode(201).body("config.init", equalTo("weights:" + name));
        for (String[] refused : new String[][] {
                {"weights:never-uploaded", "no weights file of that name was uploaded"},
                {"resnetops-no-such-dataset@champion", "there is no registered model 'resnetops-no-such-dataset'"},
                {"job:" + UUID.randomUUID(), "there is no such job"},
                {"job:72f3bc9b", "not a job id"},
                {"weights/resnet50.pth", "relative path"}}) {
            submit(dataset, refused[0]).then().statusCode(400)
                    .body("problems.field", hasItem("config.init"))
                    .body("message", containsString(refused[1]));
        }
    }

    @Test
    void refusesALargeJsonBodyBeforeReadingIt() throws Exception {
        // A raw request: HTTP clients will not announce a length they do not send. The answer comes although
        // the 50 MB never follow: nothing waited for them.
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TestTokens.forRole(Roles.SUBMITTER) + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 50000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 413");
        }
    }

    private static io.restassured.response.Response submit(String dataset, String init) {
        return submitter().contentType(ContentType.JSON)
                .body("{\"dataset\":\"" + dataset + "\",\"config\":{\"epochs\":1,\"init\":\"" + init + "\"}}")
                .post("/jobs");
    }

    private int rows(String name) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT count(*) FROM weight_files WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static Path weightsFolder() {
        return Path.of(ConfigProvider.getConfig().getValue("mlops.weights.folder", String.class)).toAbsolutePath();
    }

    private static List<String> folderListing() throws Exception {
        Path folder = weightsFolder();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
