package dev.resnetops.tracking;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ModelRegistryTest {

    private final MlflowClient mlflow = TestMlflow.client();

    @TempDir
    Path temp;

    @Test
    void aliasMovesFromFirstToSecondVersion() throws IOException {
        String model = TestMlflow.unique("tracking-resnet50");
        String experimentId = mlflow.experimentIdFor(TestMlflow.unique("tracking-registry"));
        RunInfo first = runWithModel(experimentId, "v1");
        RunInfo second = runWithModel(experimentId, "v2");

        mlflow.createRegisteredModel(model, Map.of("task", "image-classification"), "improved ResNet-50");
        mlflow.createRegisteredModel(model, Map.of(), null);
        ModelVersion v1 = mlflow.createModelVersion(model, first.artifactSource("model"), first.runId(),
                Map.of("top1", "0.91"), "first");
        ModelVersion v2 = mlflow.createModelVersion(model, second.artifactSource("model"), second.runId(), Map.of(), null);

        assertThat(v1.version()).isEqualTo("1");
        assertThat(v2.version()).isEqualTo("2");
        assertThat(v1.status()).isEqualTo(ModelVersionStatus.READY);
        assertThat(v1.source()).isEqualTo(first.artifactUri() + "/model");
        assertThat(v1.runId()).isEqualTo(first.runId());
        assertThat(v1.tags()).containsEntry("top1", "0.91");

        mlflow.setAlias(model, "candidate", "1");
        assertThat(mlflow.versionByAlias(model, "candidate")).map(ModelVersion::version).contains("1");
        mlflow.setAlias(model, "candidate", "2");
        assertThat(mlflow.versionByAlias(model, "candidate")).map(ModelVersion::version).contains("2");
        assertThat(mlflow.getModelVersion(model, "2").aliases()).containsExactly("candidate");
        assertThat(mlflow.getModelVersion(model, "1").aliases()).isEmpty();
        assertThat(mlflow.versionByAlias(model, "champion")).isEmpty();

        mlflow.setModelVersionTag(model, "2", "parity", "passed");
        assertThat(mlflow.getModelVersion(model, "2").tags()).containsEntry("parity", "passed");
        assertThat(mlflow.searchModelVersions("name = '" + model + "'")).extracting(ModelVersion::version)
                .containsExactlyInAnyOrder("1", "2");

        mlflow.deleteAlias(model, "candidate");
        assertThat(mlflow.versionByAlias(model, "candidate")).isEmpty();
        assertThat(mlflow.versionByAlias(TestMlflow.unique("no-such-model"), "candidate")).isEmpty();
    }

    private RunInfo runWithModel(String experimentId, String name) throws IOException {
        RunInfo run = mlflow.createRun(experimentId, name, Instant.now(), Map.of());
        Path model = Files.createDirectories(temp.resolve(name));
        Files.writeString(model.resolve("model.onnx"), "not really onnx: " + name);
        mlflow.uploadDirectory(run, model, "model");
        mlflow.finishRun(run.runId(), RunStatus.FINISHED, Instant.now());
        return run;
    }
}
