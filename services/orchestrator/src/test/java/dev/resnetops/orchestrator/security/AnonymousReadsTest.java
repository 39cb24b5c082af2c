package dev.resnetops.orchestrator.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import dev.resnetops.orchestrator.rest.ServerPaths;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code mlops.security.anonymous-reads=true}: reads for dashboards without a token, changes still need one. */
@QuarkusTest
@TestProfile(AnonymousReadsTest.AnonymousReads.class)
class AnonymousReadsTest {

    public static class AnonymousReads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // One engine per database is enough: the default profile's instance advances the test runs.
            return Map.of("mlops.security.anonymous-reads", "true", "mlops.workflows.engine-enabled", "false");
        }
    }

    @Test
    void withAnonymousReadsOnReadsNeedNoTokenButChangesStillDo() {
        given().auth().none().get("/jobs").then().statusCode(200);
        given().auth().none().get("/models/presets").then().statusCode(200);
        given().auth().none().queryParam("size", 200).get("/datasets").then().statusCode(200)
                .body("items.source", everyItem(equalTo(ServerPaths.HIDDEN)));
        given().auth().none().contentType(ContentType.JSON).body("{}").post("/jobs").then().statusCode(401)
                .body("message", containsString("role 'submitter'"));
        given().auth().none().contentType(ContentType.JSON).body("{}").post("/models/x/promote").then().statusCode(401);
    }
}
