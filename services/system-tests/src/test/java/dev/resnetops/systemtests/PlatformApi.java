package dev.resnetops.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The orchestrator's HTTP API as a user drives it: datasets, jobs and models, and waiting for their states. */
final class PlatformApi {

    private final String baseUrl;
    private final String token;

    PlatformApi(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Registers a dataset source and waits until it is READY; returns its id. */
    String ingest(String name, String source, Duration timeout) throws InterruptedException {
        String id = authorized().body(Map.of("name", name, "source", source)).post("/datasets").then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 202)).extract().path("id");
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath dataset = get("/datasets/" + id);
        while (!"READY".equals(dataset.getString("status"))) {
            assertThat(dataset.getString("status")).as("dataset %s: %s", name, dataset.prettify()).isNotEqualTo("FAILED");
            assertThat(System.nanoTime()).as("dataset %s READY within %s: %s", name, timeout, dataset.prettify())
                    .isLessThan(deadline);
            Thread.sleep(500);
            dataset = get("/datasets/" + id);
        }
        return id;
    }

    /** Submits a training job; returns its id. */
    String submit(String datasetId, Map<String, Object> config, String experiment) {
        return authorized().body(Map.of("dataset", datasetId, "config", config, "experiment", experiment))
                .post("/jobs").then().statusCode(201).extract().path("id");
    }

    JsonPath job(String id) {
        return get("/jobs/" + id);
    }

    /** The epochs the job has finished, in order. */
    List<Integer> epochs(String id) {
        return given().baseUri(baseUrl).auth().oauth2(token).get("/jobs/" + id + "/metrics").then().statusCode(200).extract().path("epoch");
    }

    JsonPath awaitState(String id, Duration timeout, String... states) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath job = job(id);
        while (!List.of(states).contains(job.getString("state"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " not in " + List.of(states) + " after " + timeout.toSeconds()
                        + " s:\n" + job.prettify());
            }
            Thread.sleep(500);
            job = job(id);
        }
        return job;
    }

    void awaitEpochs(String id, int epochs, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (epochs(id).size() < epochs) {
            assertThat(System.nanoTime()).as("%d epochs of job %s within %s", epochs, id, timeout).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** The registered versions of a model once there are at least {@code count}. */
    List<Map<String, Object>> awaitVersions(String model, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            io.restassured.response.Response r = given().baseUri(baseUrl).auth().oauth2(token).get("/models/" + model);
            if (r.statusCode() == 200 && r.jsonPath().getList("$").size() >= count) {
                return r.jsonPath().getList("$");
            }
            assertThat(System.nanoTime()).as("%d registered versions of %s within %s", count, model, timeout)
                    .isLessThan(deadline);
            Thread.sleep(1000);
        }
    }

    void promote(String model, Object version) {
        authorized().body(Map.of("version", version)).post("/models/" + model + "/promote").then().statusCode(200);
    }

    RequestSpecification authorized() {
        return given().baseUri(baseUrl).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private JsonPath get(String path) {
        return given().baseUri(baseUrl).auth().oauth2(token).get(path).then().statusCode(200).extract().jsonPath();
    }
}
