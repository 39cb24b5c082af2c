package dev.resnetops.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.resnetops.apisecurity.Roles;
import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.ModelAliasMoved;
import dev.resnetops.testsupport.TestDatasets;
import dev.resnetops.testsupport.TestTokens;
import dev.resnetops.testsupport.TopicProbe;
import dev.resnetops.tracking.MlflowAccount;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.ModelVersion;
import dev.resnetops.tracking.RunInfo;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Promotion to champion against the real MLflow registry, PostgreSQL and Kafka. */
@QuarkusTest
class ModelPromotionTest {

    @Inject
    AgroalDataSource db;

    private static String token() {
        return TestTokens.forRole(Roles.ADMIN);
    }

    private static MlflowClient mlflow() {
        return MlflowClient.builder()
                .setServer(URI.create(ConfigProvider.getConfig().getValue("mlops.mlflow-url", String.class)))
                .optAccount(MlflowAccount.requiredFromEnvironment()).build();
    }

    @Test
    void promotesTheCandidateToChampionInMlflowAndPostgresAndAnnouncesIt() throws Exception {
        String model = "resnetops-test-" + UUID.randomUUID().toString().substring(0, 8);
        UUID job = registerVersions(model);

        given().auth().oauth2(token()).contentType(ContentType.JSON).post("/models/" + model + "/promote")
                .then().statusCode(200).body("version", equalTo(1)).body("aliases", hasItem("champion"))
                .body("aliases", hasItem("candidate"));
        assertThat(mlflow().versionByAlias(model, "champion")).map(ModelVersion::version).contains("1");
        assertThat(TopicProbe.recordsWithKey(kafka(), Topics.MODEL_EVENTS, model, Duration.ofSeconds(20),
                Duration.ofSeconds(1)))
                .singleElement().satisfies(r -> {
                    ModelAliasMoved moved = MessageCodec.fromJson(r.value(), ModelAliasMoved.class);
                    assertThat(moved.alias()).isEqualTo("champion");
                    assertThat(moved.version()).isEqualTo(1);
                    assertThat(moved.jobId()).isEqualTo(job);
                });
        given().get("/models/" + model).then().statusCode(200).body("version", equalTo(java.util.List.of(2, 1)));
    }

    @Test
    void refusesAVersionThatFailedTheParityGate() throws Exception {
        String model = "resnetops-test-" + UUID.randomUUID().toString().substring(0, 8);
        registerVersions(model);
        given().auth().oauth2(token()).contentType(ContentType.JSON).body(Map.of("version", 2))
                .post("/models/" + model + "/promote")
                .then().statusCode(409).body("message", containsString("failed the ONNX parity gate"));
        assertThat(mlflow().versionByAlias(model, "champion")).isEmpty();
    }

    @Test
    void answers404ForAnUnknownModelOrVersionAnd401WithoutToken() throws Exception {
        given().auth().oauth2(token()).contentType(ContentType.JSON).post("/models/no-such-model/promote")
                .then().statusCode(404).body("message", containsString("no candidate"));
        given().get("/models/no-such-model").then().statusCode(404);
        given().auth().none().contentType(ContentType.JSON).post("/models/x/promote").then().statusCode(401);
    }

    /** Version 1 passed the parity gate and is the candidate; version 2 failed it. Returns their job. */
    private UUID registerVersions(String model) throws Exception {
        MlflowClient mlflow = mlflow();
        mlflow.createRegisteredModel(model, Map.of(), "test");
        RunInfo run = mlflow.createRun(mlflow.experimentIdFor("orchestrator-tests"), model, java.time.Instant.now(),
                Map.of());
        mlflow.createModelVersion(model, run.artifactSource("model"), run.runId(), Map.of(), null);
        mlflow.createModelVersion(model, run.artifactSource("model"), run.runId(), Map.of(), null);
        mlflow.setAlias(model, "candidate", "1");
        UUID dataset = TestDatasets.ready(db, model);
        UUID job = UUID.randomUUID();
        try (Connection c = db.getConnection()) {
            UUID version;
            try (PreparedStatement q = c.prepareStatement("SELECT version_id FROM datasets WHERE id = ?")) {
                q.setObject(1, dataset);
                var rs = q.executeQuery();
                rs.next();
                version = (UUID) rs.getObject(1);
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (id, dataset_id, dataset_version_id,"
                    + " model, config, experiment, state) VALUES (?, ?, ?, 'resnet18-small', '{}', 'x', 'COMPLETED')")) {
                insert.setObject(1, job);
                insert.setObject(2, dataset);
                insert.setObject(3, version);
                insert.executeUpdate();
            }
            for (int v = 1; v <= 2; v++) {
                UUID row = UUID.randomUUID();
                UUID versionJob = job;
                if (v == 2) {
                    versionJob = UUID.randomUUID();
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (id, dataset_id,"
                            + " dataset_version_id, model, config, experiment, state) VALUES (?, ?, ?, 'resnet18-small',"
                            + " '{}', 'x', 'COMPLETED')")) {
                        insert.setObject(1, versionJob);
                        insert.setObject(2, dataset);
                        insert.setObject(3, version);
                        insert.executeUpdate();
                    }
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO model_versions (id, registered_model,"
                        + " version, job_id, dataset_version_id, onnx_location, onnx_sha256, parity_passed, parity_report,"
                        + " top1, top5) VALUES (?, ?, ?, ?, ?, '/data/m.onnx', 'abc', ?, ?::jsonb, 0.9, 0.99)")) {
                    insert.setObject(1, row);
                    insert.setString(2, model);
                    insert.setInt(3, v);
                    insert.setObject(4, versionJob);
                    insert.setObject(5, version);
                    insert.setBoolean(6, v == 1);
                    insert.setString(7, v == 1 ? "{\"passed\": true}" : "{\"passed\": false, \"maxAbsDiff\": 0.3}");
                    insert.executeUpdate();
                }
                if (v == 1) {
                    try (PreparedStatement alias = c.prepareStatement("INSERT INTO model_aliases (registered_model,"
                            + " alias, model_version_id) VALUES (?, 'candidate', ?)")) {
                        alias.setString(1, model);
                        alias.setObject(2, row);
                        alias.executeUpdate();
                    }
                }
            }
        }
        return job;
    }

    private static String kafka() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
