package dev.resnetops.orchestrator.workflows;

import dev.resnetops.tracking.MlflowAccount;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.RunInfo;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A test double of the trainer and the evaluator: no worker runs in the orchestrator's tests, so a
 * test moves jobs along by writing the rows those services would write (job state, test-set numbers,
 * the registered model version). The real services take this path in the system tests.
 */
final class TrainerDouble {

    private final DataSource db;

    TrainerDouble(DataSource db) {
        this.db = db;
    }

    /** What the trainer records when a job finishes, with the MLflow run its tracking relay creates. */
    void complete(UUID job) throws SQLException {
        String experiment;
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT experiment FROM jobs WHERE id = ?")) {
            q.setObject(1, job);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                experiment = rs.getString(1);
            }
        }
        MlflowClient mlflow = mlflow();
        String experimentId = mlflow.experimentIdFor(experiment);
        String runId = mlflow.createRun(experimentId, "job-" + job, Instant.now(),
                Map.of("resnetops.job_id", job.toString())).runId();
        try (Connection c = db.getConnection();
             PreparedStatement u = c.prepareStatement("UPDATE jobs SET state = 'COMPLETED', state_reason ="
                     + " 'trained (test double)', worker = 'trainer-double', mlflow_experiment_id = ?, mlflow_run_id = ?, updated_at = now()"
                     + " WHERE id = ?")) {
            u.setString(1, experimentId);
            u.setString(2, runId);
            u.setObject(3, job);
            u.executeUpdate();
        }
    }

    static MlflowClient mlflow() {
        return MlflowClient.builder()
                .setServer(URI.create(ConfigProvider.getConfig().getValue("mlops.mlflow-url", String.class)))
                .optAccount(MlflowAccount.requiredFromEnvironment()).build();
    }

    void fail(UUID job, String reason) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement u = c.prepareStatement("UPDATE jobs SET state = 'FAILED', state_reason = ?,"
                     + " updated_at = now() WHERE id = ?")) {
            u.setString(1, reason);
            u.setObject(2, job);
            u.executeUpdate();
        }
    }

    /** What the evaluator records for a completed job: test numbers, then the model version in MLflow and here. */
    void evaluate(UUID job, double top1, double top5, String registeredModel, int version) throws SQLException {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO job_evaluations (job_id, top1, top5, top_k,"
                    + " loss, per_class, confusion_matrix_location, report_location, test_images)"
                    + " VALUES (?, ?, ?, 5, 0.5, '[]', '/tmp/cm.png', '/tmp/report.json', 32)")) {
                insert.setObject(1, job);
                insert.setDouble(2, top1);
                insert.setDouble(3, top5);
                insert.executeUpdate();
            }
            if (registeredModel == null) {
                return;
            }
            registerInMlflow(registeredModel, version);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO model_versions (id, registered_model,"
                    + " version, job_id, dataset_version_id, onnx_location, onnx_sha256, parity_passed, parity_report,"
                    + " top1, top5) SELECT ?, ?, ?, id, dataset_version_id, '/data/m.onnx', 'abc', true,"
                    + " '{\"passed\": true}', ?, ? FROM jobs WHERE id = ?")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, registeredModel);
                insert.setInt(3, version);
                insert.setDouble(4, top1);
                insert.setDouble(5, top5);
                insert.setObject(6, job);
                insert.executeUpdate();
            }
        }
    }

    int jobsOfStep(UUID step) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT count(*) FROM jobs WHERE workflow_step_id = ?")) {
            q.setObject(1, step);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void registerInMlflow(String model, int version) {
        MlflowClient mlflow = mlflow();
        if (version == 1) {
            mlflow.createRegisteredModel(model, Map.of(), "workflow test");
        }
        RunInfo run = mlflow.createRun(mlflow.experimentIdFor("orchestrator-tests"), model, Instant.now(), Map.of());
        mlflow.createModelVersion(model, run.artifactSource("model"), run.runId(), Map.of(), null);
    }

}
