package dev.resnetops.systemtests;

import dev.resnetops.onnx.export.CheckpointExport;
import dev.resnetops.onnx.export.ParityGate;
import dev.resnetops.onnx.export.ParityReport;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.ModelVersion;
import dev.resnetops.tracking.RunInfo;
import dev.resnetops.vision.config.Precision;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.data.Sha256;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.train.TrainingResult;
import dev.resnetops.vision.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Versions of a fresh registered model in MLflow, each a briefly trained ResNet-18 exported to ONNX
 * through the parity gate and registered the way the evaluator registers one: the file as run artifact
 * {@code model/model.onnx}, the version's source the run's {@code model} folder, the file's SHA-256 in
 * its tag and in the PostgreSQL record ({@code model_integrity}) the inference service checks. Different seeds and budgets make the versions disagree on some
 * images, so a prediction's answer, not only its label, tells which version produced it.
 */
final class TrainedModelVersions {

    static final String PRESET = "resnet18-small";
    private static final String EXPERIMENT = "resnetops-inference-system-test";
    static final String TAG_ONNX_SHA256 = "resnetops.onnx_sha256";

    /** One registered version and its ONNX file on local disk, the same bytes the service downloads. */
    record Version(int number, String runId, Path onnx, String sha256, double top1) {}

    private TrainedModelVersions() {
    }

    /**
     * Trains one model per seed (on {@code trainImages} images each, one epoch, 28 px), and registers them
     * as versions 1, 2, ... of {@code modelName}.
     */
    static List<Version> register(MlflowClient mlflow, String modelName, ShardedDataset data, Path workDir,
                                  int trainImages, long... seeds) {
        String experimentId = mlflow.experimentIdFor(EXPERIMENT);
        mlflow.createRegisteredModel(modelName, Map.of("resnetops.system_test", "inference"),
                "Briefly trained ResNets for InferenceSystemTest");
        List<Version> versions = new ArrayList<>();
        for (long seed : seeds) {
            Path runDir = workDir.resolve("seed-" + seed);
            long start = System.nanoTime();
            TrainingResult trained = train(data, runDir, trainImages, seed);
            long exported = System.nanoTime();
            RunInfo run = mlflow.createRun(experimentId, modelName + "-seed-" + seed, Instant.now(),
                    Map.of("resnetops.model_preset", PRESET));
            Path onnx = runDir.resolve("model.onnx");
            ParityReport parity = CheckpointExport.run(runDir, onnx, data, 64, run.runId(), new ParityGate());
            String sha256 = sha256(onnx);
            mlflow.uploadArtifact(run, onnx, "model");
            mlflow.setTerminated(run.runId());

            double top1 = trained.finalEvaluation().top1();
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("resnetops.run_id", run.runId());
            tags.put("resnetops.model_preset", PRESET);
            tags.put("resnetops.parity", parity.passed() ? "passed" : "failed");
            tags.put(TAG_ONNX_SHA256, sha256);
            tags.put("resnetops.test_top1", Double.toString(top1));
            ModelVersion version = mlflow.createModelVersion(modelName, run.artifactSource("model"), run.runId(), tags,
                    PRESET + " trained on " + trainImages + " images, seed " + seed);
            recordIntegrity(modelName, Integer.parseInt(version.version()), sha256, onnx);
            versions.add(new Version(Integer.parseInt(version.version()), run.runId(), onnx, sha256, top1));
            System.out.printf("[model-versions] %s version %s: trained in %.1f s (Top-1 %.3f on %d test images),"
                    + " exported (parity %s) and registered in %.1f s%n", modelName, version.version(),
                    (exported - start) / 1e9, top1, trained.finalEvaluation().count(),
                    parity.passed() ? "passed" : "failed", (System.nanoTime() - exported) / 1e9);
        }
        return versions;
    }

    private static TrainingResult train(ShardedDataset data, Path runDir, int trainImages, long seed) {
        TrainingConfig config = TrainingConfig.builder().model(PRESET).inputSize(28).epochs(1).batchSize(16)
                .learningRate(0.05).warmupEpochs(0).seed(seed).maxTrainSamples(trainImages).maxTestSamples(100)
                .augment(false).workers(1).precision(Precision.FP32).build();
        return TrainingRun.builder().setConfig(config).setDataset(data).setOutputDir(runDir).build().run();
    }

    /** What the evaluator writes with a version it registers, and inference checks a download against. */
    static void recordIntegrity(String model, int version, String sha256, Path onnx) {
        try (Connection c = Infrastructure.database();
             PreparedStatement insert = c.prepareStatement("INSERT INTO model_integrity (registered_model, version,"
                     + " onnx_sha256, onnx_size_bytes, job_id) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, model);
            insert.setInt(2, version);
            insert.setString(3, sha256);
            insert.setLong(4, Files.size(onnx));
            insert.setObject(5, UUID.randomUUID());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the integrity of " + model + " version " + version, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) {
        try {
            return Sha256.ofFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
