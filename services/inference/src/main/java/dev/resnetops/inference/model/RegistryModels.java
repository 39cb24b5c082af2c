package dev.resnetops.inference.model;

import dev.resnetops.inference.config.InferenceConfig;
import dev.resnetops.inference.repository.ModelIntegrityRecords;
import dev.resnetops.inference.repository.RecordedOnnx;
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
 * into the cache and checked against the SHA-256 and size the evaluator recorded in PostgreSQL
 * ({@code model_integrity}) when it registered the version. Going through MLflow rather than the
 * trainers' shared folder lets an inference instance run on any machine that reaches MLflow; checking
 * against PostgreSQL rather than the version's tag means that whoever can replace the artifact in MLflow
 * cannot make inference serve it by rewriting the tag as well.
 */
@ApplicationScoped
public class RegistryModels {

    /** The version tag holding the ONNX file's SHA-256 (written by the evaluator): information, not the check. */
    public static final String TAG_ONNX_SHA256 = "resnetops.onnx_sha256";
    static final String ONNX_ARTIFACT = "model/model.onnx";

    private final MlflowClient mlflow;
    private final ModelIntegrityRecords integrity;
    private final InferenceConfig config;

    RegistryModels(MlflowClient mlflow, ModelIntegrityRecords integrity, InferenceConfig config) {
        this.mlflow = mlflow;
        this.integrity = integrity;
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
     * The version's ONNX file on local disk, downloaded if not cached yet, and only when it is the file
     * the evaluator recorded.
     *
     * @throws ModelUnusableException the version has no run, no ONNX artifact, no integrity record, or a
     *                                file whose SHA-256 or size differs from the record
     * @throws IllegalStateException  PostgreSQL cannot be read
     */
    public Path file(ModelVersion version) {
        if (version.runId() == null || version.runId().isBlank()) {
            throw new ModelUnusableException(describe(version) + " was registered without a run, so it has no "
                    + ONNX_ARTIFACT + " to serve");
        }
        RecordedOnnx expected = recordOf(version);
        Path folder = Path.of(config.cacheDir()).resolve(version.name()).resolve(version.version());
        Path file = folder.resolve("model.onnx");
        try {
            if (Files.isRegularFile(file) && expected.sha256().equals(Sha256.ofFile(file))) {
                return file;
            }
            Files.createDirectories(folder);
            Path partial = Files.createTempFile(folder, "model", ".onnx.part");
            try {
                mlflow.downloadArtifact(version.runId(), ONNX_ARTIFACT, partial);
                verify(version, expected, partial);
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

    private RecordedOnnx recordOf(ModelVersion version) {
        int number;
        try {
            number = Integer.parseInt(version.version());
        } catch (NumberFormatException e) {
            throw new ModelUnusableException(describe(version) + ": '" + version.version() + "' is not a version number");
        }
        return integrity.find(version.name(), number).orElseThrow(() -> new ModelUnusableException(describe(version)
                + " has no integrity record in PostgreSQL (model_integrity), so nothing vouches for its "
                + ONNX_ARTIFACT + ": only versions the evaluator registered can be served. Promote a version the"
                + " evaluator registered, or retrain so that it registers a new one"));
    }

    private static void verify(ModelVersion version, RecordedOnnx expected, Path downloaded) throws IOException {
        String actual = Sha256.ofFile(downloaded);
        long size = Files.size(downloaded);
        if (expected.sha256().equals(actual) && expected.sizeBytes() == size) {
            return;
        }
        String tag = version.tags().get(TAG_ONNX_SHA256);
        throw new ModelUnusableException(describe(version) + ": refusing the downloaded " + ONNX_ARTIFACT
                + " (SHA-256 " + actual + ", " + size + " bytes): the evaluator recorded SHA-256 " + expected.sha256()
                + " (" + expected.sizeBytes() + " bytes) for it at " + expected.recordedAt() + " (job "
                + expected.jobId() + ")" + (tag == null ? "" : tag.equals(actual)
                        ? "; the MLflow tag " + TAG_ONNX_SHA256 + " was rewritten to match the replaced file"
                        : "; MLflow tag " + TAG_ONNX_SHA256 + "=" + tag)
                + ". The run's artifact was replaced after registration: the served model stays; restore the"
                + " recorded file in MLflow, or retrain and promote a new version, and check who can write to MLflow");
    }

    static String describe(ModelVersion version) {
        return version.name() + " version " + version.version();
    }
}
