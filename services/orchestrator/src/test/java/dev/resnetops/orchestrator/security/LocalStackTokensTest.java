package dev.resnetops.orchestrator.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack's tokens (deploy/local/tokens.sh, behind {@code ./mlops token create} and {@code ./mlops up})
 * are accepted by the API with the role they name. The state folder holds the test key pair, so the server
 * under test (which trusts the test key) verifies what the script signed.
 */
@QuarkusTest
class LocalStackTokensTest {

    private static final Path SCRIPT = Path.of("../../deploy/local/tokens.sh").toAbsolutePath().normalize();

    @TempDir Path state;

    @BeforeEach
    void stateFolderWithTheTestKey() throws IOException {
        Path keys = Files.createDirectories(state.resolve("keys"));
        copy("test-jwt/private.pem", keys.resolve("jwt-private.pem"));
        copy("test-jwt/public.pem", keys.resolve("jwt-public.pem"));
    }

    @Test
    void tokenCreatePrintsOnlyATokenThatTheApiAcceptsWithItsRole() throws Exception {
        Result viewer = run("token create --role viewer --subject dashboard --ttl 1h");
        assertThat(viewer.exit).isZero();
        assertThat(viewer.out.strip()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        String token = viewer.out.strip();

        given().auth().oauth2(token).get("/jobs").then().statusCode(200);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}").post("/jobs").then().statusCode(403)
                .body("message", containsString("'dashboard'"));

        String submitter = run("token create --role submitter").out.strip();
        given().auth().oauth2(submitter).contentType(ContentType.JSON).body("{}").post("/jobs").then().statusCode(400);
    }

    @Test
    void tokenCreateRefusesAnUnknownRoleOrTtlNamingTheValue() throws Exception {
        Result role = run("token create --role boss");
        assertThat(role.exit).isNotZero();
        assertThat(role.out).isEmpty();
        assertThat(role.err).contains("'boss'", "viewer submitter admin");

        Result ttl = run("token create --role viewer --ttl 3x");
        assertThat(ttl.exit).isNotZero();
        assertThat(ttl.err).contains("'3x'", "30d");
    }

    @Test
    void theDefaultTokenIsAnAdminTokenWrittenForTheOwnerOnlyAndNeverPrinted() throws Exception {
        Result written = run("default");
        assertThat(written.exit).isZero();
        Path file = state.resolve("api-token");
        String token = Files.readString(file).strip();
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(written.out + written.err).doesNotContain(token).doesNotContain(token.substring(0, 20));

        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}").post("/models/no-such-model/promote")
                .then().statusCode(404);
    }

    @Test
    void testDebugOutputMasksTokensAndPasswords() throws Exception {
        Result masked = run("mask");
        assertThat(masked.err).contains("MLOPS_API_TOKEN=(hidden)", "MLOPS_PG_PASSWORD=(hidden)",
                "MLOPS_PG_URL=jdbc:postgresql://h/db").doesNotContain("secret-token-value").doesNotContain("pw123");
    }

    private record Result(int exit, String out, String err) {
    }

    /** Runs the script's command, or 'default' (what ./mlops up does), or 'mask' (the test harness's debug print). */
    private Result run(String command) throws Exception {
        String script = switch (command) {
            case "default" -> ". '" + SCRIPT + "'; write_default_token";
            case "mask" -> ". '" + SCRIPT.resolveSibling("lib.sh") + "'; MLOPS_API_TOKEN=secret-token-value"
                    + " MLOPS_PG_PASSWORD=pw123 MLOPS_PG_URL=jdbc:postgresql://h/db print_mlops_environment";
            default -> "'" + SCRIPT + "' " + command.substring("token ".length());
        };
        List<String> argv = new ArrayList<>(List.of("bash", "-c", script));
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().put("MLOPS_INFRA_STATE", state.toString());
        builder.environment().putAll(Map.of("MLOPS_HOME", state.resolve("home").toString()));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, err);
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = LocalStackTokensTest.class.getClassLoader().getResourceAsStream(resource)) {
            Files.write(target, in.readAllBytes());
        }
    }
}
