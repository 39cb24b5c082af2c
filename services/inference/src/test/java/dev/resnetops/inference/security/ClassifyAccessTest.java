package dev.resnetops.inference.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.resnetops.apisecurity.InternalErrors;
import dev.resnetops.apisecurity.Roles;
import dev.resnetops.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Who may call {@code POST /classify} and how often, on the real broker and MLflow with no model loaded
 * (an admitted request answers 503): the configured role, the per-caller limit, and 500s with an error id.
 */
@QuarkusTest
@TestProfile(ClassifyAccessTest.SubmittersTwoAtATime.class)
class ClassifyAccessTest {

    private static final byte[] SOME_BYTES = new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

    /** Classify needs submitter here, and a caller may send 2 requests at once, then one every 100 s. */
    public static class SubmittersTwoAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mlops.inference.model", "inference-access-test-" + UUID.randomUUID(),
                    "mlops.inference.stream.enabled", "false",
                    "mlops.classify.role", Roles.SUBMITTER,
                    "mlops.classify.rate-limit.per-second", "0.01",
                    "mlops.classify.rate-limit.burst", "2");
        }
    }

    private static Response classifyWith(String token) {
        return given().auth().oauth2(token).contentType("image/png").body(SOME_BYTES).post("/classify");
    }

    @Test
    void classifyWithoutATokenIsRefusedWith401NamingTheConfiguredRole() {
        given().auth().none().contentType("image/png").body(SOME_BYTES).post("/classify").then().statusCode(401)
                .body("message", containsString("role 'submitter'"))
                .body("message", containsString("./mlops token create --role submitter"));
        classifyWith(TestTokens.forged(Roles.ADMIN)).then().statusCode(401);
        classifyWith(TestTokens.expired(Roles.ADMIN)).then().statusCode(401).body("message", containsString("expired"));
    }

    @Test
    void classifyNeedsTheConfiguredRole() {
        classifyWith(TestTokens.forSubject(Roles.VIEWER, "viewer-" + UUID.randomUUID())).then().statusCode(403)
                .body("message", containsString("needs the role 'submitter'"));
        classifyWith(TestTokens.forSubject(Roles.SUBMITTER, "submitter-" + UUID.randomUUID())).then().statusCode(503);
        classifyWith(TestTokens.forSubject(Roles.ADMIN, "admin-" + UUID.randomUUID())).then().statusCode(503);
    }

    @Test
    void aCallerOverItsRateGets429WithRetryAfterWhileOtherCallersAreServed() {
        String greedy = TestTokens.forSubject(Roles.SUBMITTER, "greedy-" + UUID.randomUUID());
        classifyWith(greedy).then().statusCode(503);
        classifyWith(greedy).then().statusCode(503);

        Response limited = classifyWith(greedy);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 100L);
        assertThat(limited.jsonPath().getString("message")).contains("too many requests", "greedy-", "retry in");

        classifyWith(TestTokens.forSubject(Roles.SUBMITTER, "patient-" + UUID.randomUUID())).then().statusCode(503);
    }

    @Test
    void aFailureOnTheServerAnswers500WithAnErrorIdAndNoInternalText() {
        Response response = given().auth().oauth2(TestTokens.forRole(Roles.VIEWER)).get("/test-only/failure");

        assertThat(response.statusCode()).isEqualTo(500);
        String id = response.header(InternalErrors.ERROR_ID_HEADER);
        assertThat(response.jsonPath().getString("message")).contains("error id " + id);
        assertThat(response.asString()).doesNotContain(FailingEndpointForTests.INTERNAL_DETAIL);
    }
}
