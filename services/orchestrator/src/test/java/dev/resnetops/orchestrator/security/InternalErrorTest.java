package dev.resnetops.orchestrator.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.apisecurity.InternalErrors;
import dev.resnetops.apisecurity.Roles;
import dev.resnetops.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InternalErrorTest {

    @Test
    void aFailureOnTheServerAnswers500WithAnErrorIdAndNoInternalText() {
        Response response = given().auth().oauth2(TestTokens.forRole(Roles.VIEWER)).get("/test-only/failure");

        assertThat(response.statusCode()).isEqualTo(500);
        String id = response.header(InternalErrors.ERROR_ID_HEADER);
        assertThat(id).matches("[0-9a-f]{16}");
        String message = response.jsonPath().getString("message");
        assertThat(message).contains("error id " + id).contains("log");
        assertThat(response.asString()).doesNotContain("postgresql").doesNotContain("/srv/secret")
                .doesNotContain("IllegalStateException");
    }
}
