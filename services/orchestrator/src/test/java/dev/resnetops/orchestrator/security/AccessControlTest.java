package dev.resnetops.orchestrator.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;

import dev.resnetops.apisecurity.Roles;
import dev.resnetops.orchestrator.rest.ServerPaths;
import dev.resnetops.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Who may call what: 401 without a token or with an expired or forged one, 403 with too low a role, the
 * endpoint's own answer with the right one, and messages that name the role and how to get a token.
 */
@QuarkusTest
class AccessControlTest {

    private static final String UNKNOWN = UUID.randomUUID().toString();

    private static RequestSpecification as(String role) {
        return given().auth().oauth2(TestTokens.forRole(role)).contentType(ContentType.JSON);
    }

    private static RequestSpecification anonymous() {
        return given().auth().none().contentType(ContentType.JSON);
    }

    @Test
    void aReadWithoutATokenIsRefusedWith401NamingTheViewerRoleAndHowToGetAToken() {
        anonymous().get("/jobs").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("message", containsString("role 'viewer'"))
                .body("message", containsString("./mlops token create --role viewer"));
        anonymous().get("/datasets").then().statusCode(401);
        anonymous().get("/models").then().statusCode(401);
        anonymous().get("/workflows").then().statusCode(401);
        anonymous().get("/workflows/runs").then().statusCode(401);
    }

    @Test
    void everyReadAnswersAViewer() {
        as(Roles.VIEWER).get("/jobs").then().statusCode(200);
        as(Roles.VIEWER).get("/datasets").then().statusCode(200);
        as(Roles.VIEWER).get("/models").then().statusCode(200);
        as(Roles.VIEWER).get("/models/presets").then().statusCode(200);
        as(Roles.VIEWER).get("/workflows").then().statusCode(200);
        as(Roles.VIEWER).get("/workflows/runs").then().statusCode(200);
        as(Roles.VIEWER).get("/jobs/" + UNKNOWN).then().statusCode(404);
        as(Roles.VIEWER).get("/jobs/" + UNKNOWN + "/metrics").then().statusCode(404);
        as(Roles.VIEWER).get("/datasets/" + UNKNOWN).then().statusCode(404);
        as(Roles.VIEWER).get("/workflows/runs/" + UNKNOWN).then().statusCode(404);
    }

    @Test
    void aViewerCannotStartOrCancelWorkAndIsToldTheSubmitterRoleIsNeeded() {
        as(Roles.VIEWER).body("{}").post("/jobs").then().statusCode(403)
                .body("message", containsString("needs the role 'submitter'"))
                .body("message", containsString("test-viewer"))
                .body("message", containsString("./mlops token create --role submitter"));
        as(Roles.VIEWER).body("{}").post("/datasets").then().statusCode(403);
        as(Roles.VIEWER).post("/jobs/" + UNKNOWN + "/cancel").then().statusCode(403);
        as(Roles.VIEWER).body("{}").post("/workflows/any/runs").then().statusCode(403);
        as(Roles.VIEWER).post("/workflows/runs/" + UNKNOWN + "/cancel").then().statusCode(403);
    }

    @Test
    void aSubmitterStartsAndCancelsWorkButCannotPromote() {
        // Past the role check, each request meets the endpoint's own validation: 400/404 prove it was let in.
        as(Roles.SUBMITTER).body("{}").post("/jobs").then().statusCode(400);
        as(Roles.SUBMITTER).body("{}").post("/datasets").then().statusCode(400);
        as(Roles.SUBMITTER).post("/jobs/" + UNKNOWN + "/cancel").then().statusCode(404);
        as(Roles.SUBMITTER).post("/workflows/runs/" + UNKNOWN + "/cancel").then().statusCode(404);
        as(Roles.SUBMITTER).body("{}").post("/workflows/no-such-workflow/runs").then().statusCode(404);
        as(Roles.SUBMITTER).body("{}").post("/models/no-such-model/promote").then().statusCode(403)
                .body("message", containsString("needs the role 'admin'"));
    }

    @Test
    void anAdminMayPromote() {
        as(Roles.ADMIN).body("{}").post("/models/no-such-model/promote").then().statusCode(404);
    }

    @Test
    void anExpiredTokenIsRefusedWith401SayingItExpired() {
        given().auth().oauth2(TestTokens.expired(Roles.ADMIN)).get("/jobs").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("message", containsString("expired"));
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefusedWith401() {
        given().auth().oauth2(TestTokens.forged(Roles.ADMIN)).get("/jobs").then().statusCode(401)
                .body("message", containsString("not signed by this platform's key"));
        given().auth().oauth2(TestTokens.forged(Roles.ADMIN)).contentType(ContentType.JSON).body("{}")
                .post("/models/x/promote").then().statusCode(401);
        given().auth().oauth2("not-a-token").get("/jobs").then().statusCode(401);
    }

    @Test
    void serverPathsAreHiddenFromRolesBelowAdmin() throws IOException {
        Path folder = Files.createTempDirectory("hidden-src");
        String name = "hidden-" + UUID.randomUUID().toString().substring(0, 8);
        String id = as(Roles.SUBMITTER).body("{\"name\":\"" + name + "\",\"source\":\"" + folder + "\"}")
                .post("/datasets").then().statusCode(202).extract().path("id");

        as(Roles.VIEWER).get("/datasets/" + id).then().statusCode(200)
                .body("source", equalTo(ServerPaths.HIDDEN))
                .body(not(containsString(folder.toString())));
        as(Roles.SUBMITTER).queryParam("size", 200).get("/datasets").then().statusCode(200)
                .body("items.source", everyItem(equalTo(ServerPaths.HIDDEN)));
        as(Roles.ADMIN).get("/datasets/" + id).then().statusCode(200).body("source", equalTo(folder.toString()));
    }
}
