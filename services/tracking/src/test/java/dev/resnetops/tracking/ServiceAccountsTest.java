package dev.resnetops.tracking;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grants of deploy/local/mlflow/mlflow_accounts.py are enough for each service's job, including on
 * what another account created: the life of one model, each step as the account that does it in the
 * platform.
 */
class ServiceAccountsTest {

    @TempDir
    Path temp;

    @Test
    void eachServiceAccountCanDoItsPartOfAModelsLife() throws IOException {
        MlflowClient trainer = TestMlflow.clientOf("trainer");
        MlflowClient evaluator = TestMlflow.clientOf("evaluator");
        MlflowClient orchestrator = TestMlflow.clientOf("orchestrator");
        MlflowClient inference = TestMlflow.clientOf("inference");
        String experiment = TestMlflow.unique("tracking-accounts");
        String model = TestMlflow.unique("tracking-accounts-model");

        // The trainer creates the job's experiment and run, logs and uploads a checkpoint.
        String experimentId = trainer.experimentIdFor(experiment);
        RunInfo run = trainer.createRun(experimentId, "job", Instant.now(), Map.of("resnetops.job_id", "j1"));
        trainer.logBatch(run.runId(), List.of(new Metric("train_loss", 0.5, System.currentTimeMillis(), 1)),
                List.of(new Param("epochs", "1")), List.of());
        trainer.uploadArtifact(run, file("model.params", "checkpoint"), "checkpoint");

        // The evaluator writes into the trainer's run, registers a version, tags it, moves `candidate`.
        evaluator.logBatch(run.runId(), List.of(new Metric("test_top1", 0.9, System.currentTimeMillis(), 1)),
                List.of(), List.of());
        Path onnx = file("model.onnx", "onnx bytes");
        evaluator.uploadArtifact(run.runId(), onnx, "model");
        evaluator.createRegisteredModel(model, Map.of(), "accounts test");
        ModelVersion version = evaluator.createModelVersion(model, run.artifactSource("model"), run.runId(),
                Map.of("resnetops.parity", "passed"), null);
        evaluator.setModelVersionTag(model, version.version(), "resnetops.onnx_sha256", "abc");
        evaluator.setAlias(model, "candidate", version.version());

        // The orchestrator's workflow parent run in that experiment, the trainer's run tagged as its child,
        // and promotion of the evaluator's version.
        RunInfo parent = orchestrator.createRun(experimentId, "workflow", Instant.now(), Map.of());
        orchestrator.logBatch(run.runId(), List.of(), List.of(), List.of(new Tag("mlflow.parentRunId", parent.runId())));
        orchestrator.uploadArtifact(parent, file("results.csv", "a,b"), "results");
        orchestrator.finishRun(parent.runId(), RunStatus.FINISHED, Instant.now());
        orchestrator.setAlias(model, "champion", version.version());

        // Inference reads the alias and downloads the file.
        ModelVersion served = inference.versionByAlias(model, "champion").orElseThrow();
        Path downloaded = temp.resolve("downloaded.onnx");
        inference.downloadArtifact(served.runId(), "model/model.onnx", downloaded);

        assertThat(served.version()).isEqualTo(version.version());
        assertThat(Files.readString(downloaded)).isEqualTo("onnx bytes");
        assertThat(inference.getRun(run.runId()).tags()).containsEntry("mlflow.parentRunId", parent.runId());
        assertThat(inference.getRun(run.runId()).latestMetrics()).containsKeys("train_loss", "test_top1");
    }

    @Test
    void theInferenceAccountFindsNoAliasOfAModelThatDoesNotExistYet() {
        MlflowClient inference = TestMlflow.clientOf("inference");

        // MLflow answers this lookup with 403 for a non-admin; a fresh platform must still read "no model yet".
        assertThat(inference.versionByAlias(TestMlflow.unique("tracking-not-yet"), "champion")).isEmpty();
    }

    private Path file(String name, String content) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
