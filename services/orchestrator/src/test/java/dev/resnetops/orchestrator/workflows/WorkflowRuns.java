package dev.resnetops.orchestrator.workflows;

import static io.restassured.RestAssured.given;

import dev.resnetops.apisecurity.Roles;
import dev.resnetops.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** The workflow API as the tests use it: submit, read, and wait for a run to reach a condition. */
final class WorkflowRuns {

    private WorkflowRuns() {
    }

    static String token() {
        return TestTokens.forRole(Roles.ADMIN);
    }

    static UUID submit(String workflow, Map<String, Object> parameters) {
        return UUID.fromString(given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body(Map.of("parameters", parameters)).post("/workflows/" + workflow + "/runs")
                .then().statusCode(201).extract().path("id"));
    }

    static JsonPath read(UUID run) {
        return given().get("/workflows/runs/" + run).then().statusCode(200).extract().jsonPath();
    }

    static String stepState(JsonPath run, String key) {
        return run.getString("steps.find { it.key == '" + key + "' }.state");
    }

    static UUID stepJob(JsonPath run, String key) {
        String job = run.getString("steps.find { it.key == '" + key + "' }.jobId");
        return job == null ? null : UUID.fromString(job);
    }

    /** Polls the run until the condition holds; the engine ticks every second. */
    static JsonPath awaitRun(UUID run, Predicate<JsonPath> condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonPath current = read(run);
        while (!condition.test(current)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("workflow run " + run + " did not get there within " + timeout + ": "
                        + current.prettify());
            }
            Thread.sleep(200);
            current = read(run);
        }
        return current;
    }
}
