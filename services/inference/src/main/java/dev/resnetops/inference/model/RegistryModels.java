package dev.resnetops.inference.model;

import dev.resnetops.inference.config.InferenceConfig;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.ModelVersion;
import dev.resnetops.vision.data.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The model registry as inference sees it: which version the alias points at, and that version's ONNX
 * file, downloaded once from the run's artifacts ({@code model/model.onnx}, where the evaluator put it)
 * into the cache and checked against the hash the evaluator tagged the version with. Going through
 * MLflow rather than the trainers' shared folder lets an inference instance run on any machine that
 * reaches MLflow.
 */
@ApplicationScoped
public class RegistryModels {

    /** The version tag holding the ONNX file's SHA-256 (written by the evaluator). */
    public static final String TAG_ONNX_SHA256 = "resnetops.onnx_sha256";
    static final String ONNX_ARTIFACT = "model/model.onnx";

    private final MlflowClient mlflow;
    private final InferenceConfig config;

    RegistryModels(MlflowClient mlflow, InferenceConfig config) {
        this.mlflow = mlflow;
        this.config = config;
    }

    /**
     * The version behind the configured alias, or empty when the alias (or the model) does not exist yet.
     *
     * @throws dev.resnetops.tracking.MlflowUnavailableException MLflow is down
     */
    public Optional<ModelVersion> current() {
        return mlflow.versionByAlias(config.model(), config.alias());
    }

    /**
     * The version's ONNX file on local disk, downloaded if not cached yet.
     *
     * @throws ModelUnusableException the version has no run, no ONNX artifact, or a file whose hash differs from its tag
     */
    public Path file(ModelVersion version) {
        if (version.runId() == null || version.runId().isBlank()) {
            throw new ModelUnusableException(describe(version) + " was registered without a run, so it has no "
                    + ONNX_ARTIFACT + " to serve");
        }
        String expected = version.tags().get(TAG_ONNX_SHA256);
        Path folder = Path.of(config.cacheDir()).resolve(version.name()).resolve(version.version());
        Path file = folder.resolve("model.onnx");
        try {
            if (Files.isRegularFile(file) && (expected == null || expected.equals(Sha256.ofFile(file)))) {
                return file;
            }
            Files.createDirectories(folder);
            Path partial = Files.createTempFile(folder, "model", ".onnx.part");
            try {
                mlflow.downloadArtifact(version.runId(), ONNX_ARTIFACT, partial);
                String actual = Sha256.ofFile(partial);
                if (expected != null && !expected.equals(actual)) {
                    throw new ModelUnusableException(describe(version) + ": the downloaded " + ONNX_ARTIFACT
                            + " has SHA-256 " + actual + " but the version is tagged " + TAG_ONNX_SHA256 + "="
                            + expected + " (the run's artifact was replaced after registration?)");
                }
                // Renamed into place only when complete and verified: a crash mid-download leaves no
                // half file that a later start would take for the model.
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache " + describe(version) + " in " + folder + ": " + e.getMessage(), e);
        }
    }

    static String describe(ModelVersion version) {
        return version.name() + " version " + version.version();
    }
}
