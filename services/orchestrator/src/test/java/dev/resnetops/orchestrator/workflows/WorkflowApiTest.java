package dev.resnetops.orchestrator.workflows;

import static dev.resnetops.orchestrator.workflows.WorkflowRuns.awaitRun;
import static dev.resnetops.orchestrator.workflows.WorkflowRuns.stepJob;
import static dev.resnetops.orchestrator.workflows.WorkflowRuns.stepState;
import static dev.resnetops.orchestrator.workflows.WorkflowRuns.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import dev.resnetops.testsupport.TestDatasets;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Submitting, listing, reading and cancelling workflow runs (PostgreSQL, Kafka and MLflow are real). */
@QuarkusTest
class WorkflowApiTest {

    @Inject
    AgroalDataSource db;

    @Test
    void listsTheShippedWorkflowsWithTheirTypedParameters() {
        given().get("/workflows").then().statusCode(200)
                .body("name", hasItems("paper-ablation", "train-evaluate-promote", "lr-sweep"))
                .body("find { it.name == 'paper-ablation' }.parameters.find { it.name == 'epochs' }.type", equalTo("int"))
                .body("find { it.name == 'paper-ablation' }.parameters.find { it.name == 'epochs' }.defaultValue",
                        equalTo(2))
                .body("find { it.name == 'paper-ablation' }.problems", hasSize(0));
    }

    @Test
    void refusesBadParametersWithEveryProblemAtItsLineAndStoresNothing() {
        long before = given().get("/workflows/runs").then().extract().jsonPath().getLong("total");
        given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body(Map.of("parameters", Map.of("epoch", 3, "batch-size", "64", "label-smoothing", 1.5)))
                .post("/workflows/paper-ablation/runs")
                .then().statusCode(400)
                .body("problems", hasSize(3))
                .body("problems.field", everyItem(containsString("paper-ablation.yaml:")))
                .body("problems.message", hasItems(
                        containsString("the request sets 'epoch', which is not a parameter of paper-ablation"),
                        containsString("parameter 'batch-size' is an int; the request gave the string '64'"),
                        containsString("must be at most 0.99")));
        assertThat(given().get("/workflows/runs").then().extract().jsonPath().getLong("total")).isEqualTo(before);
    }

    @Test
    void answers404ForAnUnknownWorkflowAndRunAnd401WithoutToken() {
        given().auth().oauth2(token()).contentType(ContentType.JSON).body(Map.of())
                .post("/workflows/no-such-workflow/runs").then().statusCode(404)
                .body("message", containsString("no workflow 'no-such-workflow'"));
        given().auth().oauth2(token()).contentType(ContentType.JSON).body(Map.of())
                .post("/workflows/..%2Fpom/runs").then().statusCode(404);
        given().get("/workflows/runs/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().none().contentType(ContentType.JSON).body(Map.of()).post("/workflows/paper-ablation/runs")
                .then().statusCode(401);
    }

    @Test
    void storesTheRunWithAllStepsAndReplaysTheSameIdempotencyKey() throws Exception {
        String dataset = "wf-idem-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, dataset);
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("parameters", Map.of("dataset", dataset, "epochs", 1, "warmup-epochs", 0));

        JsonPath first = given().auth().oauth2(token()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(body).post("/workflows/paper-ablation/runs").then().statusCode(201)
                .body("state", equalTo("RUNNING")).body("workflow", equalTo("paper-ablation"))
                .body("parameters.epochs", equalTo(1)).body("parameters.batch-size", equalTo(64))
                .body("steps", hasSize(12))
                .extract().jsonPath();
        assertThat(first.getList("steps.key", String.class)).startsWith("baseline")
                .contains("baseline/evaluate", "resnet-d", "resnet-d/evaluate");

        given().auth().oauth2(token()).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .post("/workflows/paper-ablation/runs").then().statusCode(200).body("id", equalTo(first.getString("id")));
        given().auth().oauth2(token()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("parameters", Map.of("dataset", dataset, "epochs", 2)))
                .post("/workflows/paper-ablation/runs").then().statusCode(422);
        given().get("/workflows/runs?state=running").then().statusCode(200)
                .body("items.id", hasItems(first.getString("id")));

        cancel(UUID.fromString(first.getString("id")));
    }

    @Test
    void cancellingARunCancelsItsRunningTrainingsAndEndsEveryOpenStep() throws Exception {
        String dataset = "wf-cancel-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, dataset);
        UUID run = WorkflowRuns.submit("paper-ablation", Map.of("dataset", dataset, "epochs", 1, "warmup-epochs", 0));
        JsonPath started = awaitRun(run, r -> stepJob(r, "baseline") != null && stepJob(r, "avgpool-shortcut") != null,
                Duration.ofSeconds(20));
        UUID job = stepJob(started, "baseline");

        JsonPath cancelled = cancel(run);

        assertThat(cancelled.getString("state")).isEqualTo("CANCELLED");
        assertThat(cancelled.getList("steps.state", String.class)).containsOnly("CANCELLED");
        given().get("/jobs/" + job).then().body("state", equalTo("CANCELLED"));
        given().auth().oauth2(token()).post("/workflows/runs/" + run + "/cancel").then().statusCode(409);
        assertThat(stepState(WorkflowRuns.read(run), "paper")).isEqualTo("CANCELLED");
        // The table keeps its rows; none had finished, so none has numbers.
        assertThat(cancelled.getList("result.rows.label", String.class)).hasSize(6);
        assertThat(cancelled.getString("result.rows[0].values.top1")).isNull();
    }

    private static JsonPath cancel(UUID run) {
        return given().auth().oauth2(token()).post("/workflows/runs/" + run + "/cancel").then().statusCode(202)
                .extract().jsonPath();
    }

}
