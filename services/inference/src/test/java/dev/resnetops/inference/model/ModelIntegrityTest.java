package dev.resnetops.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.tracking.MlflowAccount;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.ModelVersion;
import dev.resnetops.tracking.RunInfo;
import dev.resnetops.vision.data.Sha256;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which ONNX file inference accepts for a registered version, on the real MLflow (as the inference account)
 * and PostgreSQL: the one whose SHA-256 the evaluator recorded in {@code model_integrity}, whatever the
 * version's MLflow tag says. The file needs no valid ONNX content for this: it is checked before it is opened.
 */
@QuarkusTest
@TestProfile(ModelIntegrityTest.NoWatcherTraffic.class)
class ModelIntegrityTest {

    /** A model name of its own, so the background watcher never loads what these tests register. */
    public static class NoWatcherTraffic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mlops.inference.model", "inference-integrity-watcher-" + UUID.randomUUID(),
                    "mlops.inference.stream.enabled", "false");
        }
    }

    @Inject
    RegistryModels registry;

    @Inject
    AgroalDataSource db;

    @TempDir
    Path temp;

    /** The admin: it plays the evaluator, and the attacker who can write to MLflow. */
    private final MlflowClient admin = MlflowClient.builder()
            .setServer(URI.create(ConfigProvider.getConfig().getValue("mlops.inference.mlflow-url", String.class)))
            .optAccount(MlflowAccount.requiredFromEnvironment()).build();

    @Test
    void servesTheFileTheEvaluatorRecorded() throws Exception {
        Registered v = register("recorded model bytes");
        record(v.version(), v.sha256(), v.size());

        Path served = registry.file(v.version());

        assertThat(Files.readString(served)).isEqualTo("recorded model bytes");
    }

    @Test
    void refusesAFileThatDiffersFromTheEvaluatorsRecordEvenWhenTheMlflowTagWasRewrittenToMatchIt() throws Exception {
        Registered v = register("the evaluator's model");
        record(v.version(), v.sha256(), v.size());
        Path forged = write("forged.onnx", "a forged model, same path");
        String forgedSha = Sha256.ofFile(forged);
        // Someone who can write to MLflow replaces the artifact and rewrites the tag that used to be the check.
        admin.uploadArtifact(v.run(), copyAs(forged, "model.onnx"), "model");
        admin.setModelVersionTag(v.version().name(), v.version().version(), RegistryModels.TAG_ONNX_SHA256, forgedSha);
        ModelVersion tampered = admin.getModelVersion(v.version().name(), v.version().version());
        assertThat(tampered.tags()).containsEntry(RegistryModels.TAG_ONNX_SHA256, forgedSha);

        assertThatThrownBy(() -> registry.file(tampered))
                .isInstanceOf(ModelUnusableException.class)
                .hasMessageContaining(v.version().name() + " version " + v.version().version())
                .hasMessageContaining("SHA-256 " + forgedSha)
                .hasMessageContaining("the evaluator recorded SHA-256 " + v.sha256())
                .hasMessageContaining("rewritten to match")
                .hasMessageContaining("the served model stays");
        assertThat(cachedFile(tampered)).doesNotExist();
    }

    @Test
    void refusesAVersionTheEvaluatorNeverRecorded() throws Exception {
        Registered v = register("registered behind the evaluator's back");

        assertThatThrownBy(() -> registry.file(v.version()))
                .isInstanceOf(ModelUnusableException.class)
                .hasMessageContaining(v.version().name() + " version " + v.version().version())
                .hasMessageContaining("has no integrity record in PostgreSQL (model_integrity)");
        assertThat(cachedFile(v.version())).doesNotExist();
    }

    private record Registered(RunInfo run, ModelVersion version, String sha256, long size) {}

    private Registered register(String content) throws IOException {
        String model = "inference-integrity-" + UUID.randomUUID().toString().substring(0, 8);
        Path onnx = write("model.onnx", content);
        String experimentId = admin.experimentIdFor("inference-integrity-test");
        RunInfo run = admin.createRun(experimentId, model, Instant.now(), Map.of());
        admin.uploadArtifact(run, onnx, "model");
        admin.createRegisteredModel(model, Map.of(), null);
        String sha256 = Sha256.ofFile(onnx);
        ModelVersion version = admin.createModelVersion(model, run.artifactSource("model"), run.runId(),
                Map.of(RegistryModels.TAG_ONNX_SHA256, sha256), null);
        return new Registered(run, version, sha256, Files.size(onnx));
    }

    private void record(ModelVersion version, String sha256, long size) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO model_integrity (registered_model, version,"
                     + " onnx_sha256, onnx_size_bytes, job_id) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, version.name());
            insert.setInt(2, Integer.parseInt(version.version()));
            insert.setString(3, sha256);
            insert.setLong(4, size);
            insert.setObject(5, UUID.randomUUID());
            insert.executeUpdate();
        }
    }

    private Path cachedFile(ModelVersion version) {
        return Path.of(ConfigProvider.getConfig().getValue("mlops.inference.cache-dir", String.class))
                .resolve(version.name()).resolve(version.version()).resolve("model.onnx");
    }

    private Path write(String name, String content) throws IOException {
        Path dir = Files.createDirectories(temp.resolve(UUID.randomUUID().toString()));
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path copyAs(Path file, String name) throws IOException {
        Path dir = Files.createDirectories(temp.resolve(UUID.randomUUID().toString()));
        return Files.copy(file, dir.resolve(name));
    }
}
