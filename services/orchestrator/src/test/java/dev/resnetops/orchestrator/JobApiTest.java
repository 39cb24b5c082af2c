package dev.resnetops.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.resnetops.apisecurity.Roles;
import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.CancelTraining;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.testsupport.TestDatasets;
import dev.resnetops.testsupport.TestTokens;
import dev.resnetops.testsupport.TopicProbe;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The job API against the real PostgreSQL and Kafka broker. */
@QuarkusTest
class JobApiTest {

    private static final Duration SETTLE = Duration.ofSeconds(2);

    @Inject
    AgroalDataSource db;

    private static String kafka() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    private static RequestSpecification authorized() {
        return given().auth().oauth2(TestTokens.forRole(Roles.ADMIN))
                .contentType(ContentType.JSON);
    }

    private static String body(String dataset, String config) {
        return "{\"dataset\":\"" + dataset + "\",\"config\":" + config + "}";
    }

    @Test
    void submitsAJobAndPublishesItsCommandExactlyOnceEvenWhenTheClientRetries() throws Exception {
        String name = "jobs-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, name);
        String key = UUID.randomUUID().toString();
        String request = body(name, "{\"model\":\"resnet50-small\",\"epochs\":3,\"batchSize\":32}");

        String id = authorized().header("Idempotency-Key", key).body(request)
                .when().post("/jobs")
                .then().statusCode(201).header("Location", containsString("/jobs/"))
                .body("state", equalTo("QUEUED"))
                .body("model", equalTo("resnet50-small"))
                .body("config.epochs", equalTo(3))
                .body("config.labelSmoothing", equalTo(0.1f)) // defaults filled in
                .body("experiment", equalTo(name))
                .body("history.state", hasItem("QUEUED"))
                .extract().path("id");
        String again = authorized().header("Idempotency-Key", key).body(request)
                .when().post("/jobs")
                .then().statusCode(200).extract().path("id");
        assertThat(again).isEqualTo(id);

        List<ConsumerRecord<String, String>> records = TopicProbe.recordsWithKey(kafka(), Topics.TRAINING_COMMANDS, id,
                Duration.ofSeconds(20), SETTLE);
        assertThat(records).hasSize(1);
        StartTraining command = MessageCodec.fromJson(records.get(0).value(), StartTraining.class);
        assertThat(command.jobId()).hasToString(id);
        assertThat(command.config().get("model").asText()).isEqualTo("resnet50-small");
        assertThat(command.shardLocation()).startsWith("/data/datasets/test-");
    }

    @Test
    void refusesAnIdempotencyKeyReusedForADifferentRequest() throws Exception {
        String name = "jobs-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, name);
        String key = UUID.randomUUID().toString();
        authorized().header("Idempotency-Key", key).body(body(name, "{\"epochs\":2}")).post("/jobs")
                .then().statusCode(201);
        authorized().header("Idempotency-Key", key).body(body(name, "{\"epochs\":3}")).post("/jobs")
                .then().statusCode(422).body("message", containsString("already used for a different request"));
    }

    @Test
    void aJobThatSetsOnlyOneEpochIsAcceptedWithAWarmupThatFitsIt() throws Exception {
        String name = "jobs-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, name);
        authorized().body(body(name, "{\"epochs\":1}")).post("/jobs")
                .then().statusCode(201).body("config.epochs", equalTo(1)).body("config.warmupEpochs", equalTo(0.5f));
    }

    @Test
    void namesEveryBadFieldOfAnInvalidSubmission() {
        authorized().body("{\"config\":{\"model\":\"resnet51\",\"epochs\":0,\"batchSize\":-4}}")
                .when().post("/jobs")
                .then().statusCode(400)
                .body("status", equalTo(400))
                .body("problems.field", hasItems("dataset", "config.model", "config.epochs", "config.batchSize"))
                .body("message", containsString("unknown preset 'resnet51'"));
    }

    @Test
    void namesAnUnknownConfigurationField() throws Exception {
        String name = "jobs-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, name);
        authorized().body(body(name, "{\"epochz\":3}")).post("/jobs")
                .then().statusCode(400).body("problems.field", hasItem("config.epochz"))
                .body("problems.message", hasItem(containsString("unknown field")));
    }

    @Test
    void typesEachConfigurationProblemWithItsRuleAndTheValueFound() throws Exception {
        String name = "jobs-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, name);
        authorized().body(body(name, "{\"model\":\"resnet51\",\"epochs\":20000,\"schedule\":null,"
                        + "\"momentum\":0}")).post("/jobs")
                .then().statusCode(400)
                .body("problems.field", equalTo(List.of("config.model", "config.epochs", "config.schedule",
                        "config.nesterov")))
                .body("problems.rule", equalTo(List.of("NOT_ONE_OF", "OUT_OF_RANGE", "REQUIRED", "CONFLICT")))
                .body("problems[0].found", equalTo("resnet51"))
                .body("problems[0].message", equalTo("unknown preset 'resnet51' (run 'mlops models' for the list)"))
                .body("problems[1].found", equalTo(20000))
                .body("problems[1].message", equalTo("must be in [1, 10000], found 20000"))
                .body("problems[2]", hasKey("found")).body("problems[2].found", nullValue())
                .body("problems[3].found", equalTo(true));
        authorized().body(body(name, "{\"learning_rate\":0.1}")).post("/jobs")
                .then().statusCode(400)
                .body("problems.field", equalTo(List.of("config.learning_rate")))
                .body("problems[0].rule", equalTo("UNKNOWN_FIELD"))
                .body("problems[0].found", equalTo(0.1f));
        authorized().body(body(name, "[1, 2]")).post("/jobs")
                .then().statusCode(400)
                .body("problems.field", equalTo(List.of("config")))
                .body("problems[0].rule", equalTo("NOT_A_MAPPING"))
                .body("problems[0]", not(hasKey("found")));
        // A problem the configuration rules did not find keeps its two fields only.
        authorized().body("{\"config\":{}}").post("/jobs")
                .then().statusCode(400)
                .body("problems", equalTo(List.of(Map.of("field", "dataset",
                        "message", "required: a dataset id or name (GET /datasets lists them)"))));
    }

    @Test
    void refusesABodyThatIsNotJson() {
        authorized().body("{\"dataset\": ").post("/jobs")
                .then().statusCode(400).body("message", containsString("not valid JSON"));
    }

    @Test
    void answers404ForAnUnknownJobOrDataset() {
        UUID unknown = UUID.randomUUID();
        given().get("/jobs/" + unknown).then().statusCode(404).body("message", containsString(unknown.toString()));
        given().get("/jobs/not-a-uuid").then().statusCode(404).body("message", containsString("ids are UUIDs"));
        authorized().post("/jobs/" + unknown + "/cancel").then().statusCode(404);
        authorized().body(body("no-such-dataset", "{}")).post("/jobs")
                .then().statusCode(404).body("message", containsString("no dataset 'no-such-dataset'"));
    }

    @Test
    void refusesAJobOnADatasetThatIsNotReady() throws Exception {
        String name = "ingesting-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ingesting(db, name);
        authorized().body(body(name, "{}")).post("/jobs")
                .then().statusCode(409).body("message", containsString("INGESTING"))
                .body("message", containsString("READY"));
    }

    @Test
    void cancelsAQueuedJobAtOnceAndTellsTheWorkers() throws Exception {
        String name = "cancel-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, name);
        String id = authorized().body(body(name, "{}")).post("/jobs").then().statusCode(201).extract().path("id");

        authorized().post("/jobs/" + id + "/cancel")
                .then().statusCode(202).body("state", equalTo("CANCELLED"))
                .body("history.state", equalTo(List.of("QUEUED", "CANCELLED")));
        authorized().post("/jobs/" + id + "/cancel")
                .then().statusCode(409).body("message", containsString("already CANCELLED"));

        List<ConsumerRecord<String, String>> control = TopicProbe.recordsWithKey(kafka(), Topics.TRAINING_CONTROL, id,
                Duration.ofSeconds(20), SETTLE);
        assertThat(control).hasSize(1);
        assertThat(MessageCodec.fromJson(control.get(0).value(), CancelTraining.class).jobId()).hasToString(id);
    }

    @Test
    void showsEveryFinishedEpochInOrderAndTheLatestOnTheJob() throws Exception {
        String name = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, name);
        String id = authorized().body(body(name, "{}")).post("/jobs").then().statusCode(201).extract().path("id");
        try (java.sql.Connection c = db.getConnection();
             java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO job_epoch_metrics (job_id, epoch,"
                     + " train_loss, learning_rate, val_top1, val_top5, val_loss, images_per_second, epoch_seconds)"
                     + " VALUES (?, ?, ?, 0.1, ?, 0.99, 0.5, 15, 60)")) {
            for (int epoch : new int[] {2, 1}) {
                insert.setObject(1, UUID.fromString(id));
                insert.setInt(2, epoch);
                insert.setDouble(3, 2.0 / epoch);
                insert.setDouble(4, 0.4 * epoch);
                insert.executeUpdate();
            }
        }
        given().get("/jobs/" + id + "/metrics").then().statusCode(200)
                .body("epoch", equalTo(List.of(1, 2)))
                .body("valTop1", equalTo(List.of(0.4f, 0.8f)));
        given().get("/jobs/" + id).then().body("latestMetrics.epoch", equalTo(2));
        given().get("/jobs/" + UUID.randomUUID() + "/metrics").then().statusCode(404);
    }

    @Test
    void listsJobsByStateAndPage() throws Exception {
        String name = "list-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, name);
        String queued = authorized().body(body(name, "{}")).post("/jobs").then().extract().path("id");
        String cancelled = authorized().body(body(name, "{}")).post("/jobs").then().extract().path("id");
        authorized().post("/jobs/" + cancelled + "/cancel").then().statusCode(202);

        given().queryParam("state", "cancelled").queryParam("size", 200).get("/jobs")
                .then().statusCode(200).body("items.id", hasItem(cancelled))
                .body("items.state", org.hamcrest.Matchers.everyItem(equalTo("CANCELLED")));
        given().queryParam("state", "QUEUED").queryParam("size", 200).get("/jobs")
                .then().body("items.id", hasItem(queued));
        given().queryParam("size", 1).get("/jobs")
                .then().body("items.size()", equalTo(1)).body("size", equalTo(1)).body("total", notNullValue());
        given().queryParam("state", "SLEEPING").get("/jobs")
                .then().statusCode(400).body("message", containsString("unknown state 'SLEEPING'"));
        given().queryParam("size", 0).queryParam("page", -1).get("/jobs")
                .then().statusCode(400).body("problems.field", hasItems("page", "size"));
    }
}
