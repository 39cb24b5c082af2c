package dev.resnetops.evaluator.service;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.resnetops.evaluator.config.EvaluatorConfig;
import dev.resnetops.onnx.export.OnnxExporter;
import dev.resnetops.onnx.export.ParityFailedException;
import dev.resnetops.onnx.export.ParityGate;
import dev.resnetops.onnx.export.ParityReport;
import dev.resnetops.onnx.export.ParitySample;
import dev.resnetops.vision.data.Sha256;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.data.Split;
import dev.resnetops.vision.eval.EvaluationReport;
import dev.resnetops.vision.eval.EvaluationReportWriter;
import dev.resnetops.vision.train.Checkpoint;
import dev.resnetops.vision.train.TestSetEvaluator;
import dev.resnetops.vision.train.TrainedModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The machine-local half of an evaluation: the checkpoint on the full test split (Top-1, Top-5, loss,
 * per-class accuracy, confusion matrix) and its ONNX export through the parity gate. The model is
 * loaded once for both (what {@code CheckpointExport.run} does, without a second load of the weights).
 */
@ApplicationScoped
public class LocalEvaluation {

    /** The gated export's file name in the job folder. */
    public static final String ONNX_FILE = "model.onnx";
    /**
     * Where an export that failed the parity gate is kept. Never at {@link #ONNX_FILE}: that name promises
     * a verified model (the gate's contract), but the rejected file is still worth keeping for diagnosis.
     */
    public static final String REJECTED_ONNX_FILE = "model.rejected.onnx";
    public static final String REPORT_DIR = "evaluation";

    private static final Logger LOG = Logger.getLogger(LocalEvaluation.class);

    private final EvaluatorConfig config;
    private final ParityGate gate = new ParityGate();

    LocalEvaluation(EvaluatorConfig config) {
        this.config = config;
    }

    /**
     * @param checkpointLocation the checkpoint folder of the training event; its parent is the job folder
     * @throws UnusableInputException missing or corrupt checkpoint, missing shards, class mismatch
     */
    public LocalResult run(UUID jobId, String checkpointLocation, String shardLocation) {
        Path checkpoint = Path.of(checkpointLocation).toAbsolutePath();
        if (Checkpoint.locate(checkpoint).isEmpty()) {
            throw new UnusableInputException("job " + jobId + ": no checkpoint at " + checkpoint + " (expected "
                    + Checkpoint.STATE_FILE + " there; was the job folder moved or deleted?)");
        }
        Path jobDir = checkpoint.getParent();
        ShardedDataset data = openShards(jobId, shardLocation);
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainedModel model = load(jobId, checkpoint, manager);
            if (!model.state().classes().equals(data.manifest().classes())) {
                throw new UnusableInputException("job " + jobId + ": the checkpoint at " + checkpoint
                        + " was trained on classes " + model.state().classes() + " but the dataset at " + shardLocation
                        + " has " + data.manifest().classes());
            }
            TestSetEvaluator evaluator = new TestSetEvaluator(data, model.state().preprocessing(),
                    config.maxTestSamples(), config.batchSize(), config.loaderWorkers(), model.state().config().seed());
            long start = System.nanoTime();
            EvaluationReport report = evaluator.evaluate(model.block(), manager);
            LOG.infof("job %s: Top-1 %.4f, Top-5 %.4f, loss %.4f on %d of %d test images (%.1f s)", jobId,
                    report.top1(), report.top5(), report.loss(), report.count(), data.size(Split.TEST),
                    (System.nanoTime() - start) / 1e9);
            Path reportDir = jobDir.resolve(REPORT_DIR);
            new EvaluationReportWriter().write(report, data.manifest().classes(), reportDir);

            ModelProto proto = OnnxExporter.export(model, jobId.toString());
            ParitySample sample = ParitySample.fromTestSplit(data, model.state().preprocessing(), config.parityImages());
            Path onnx = jobDir.resolve(ONNX_FILE);
            ParityReport parity;
            try {
                parity = gate.exportGated(proto, model.block(), sample, onnx);
                LOG.infof("job %s: %s", jobId, parity.summary());
            } catch (ParityFailedException e) {
                onnx = jobDir.resolve(REJECTED_ONNX_FILE);
                parity = keepRejected(proto, e.report(), onnx);
                LOG.errorf("job %s: ONNX export failed the parity gate, kept as %s and registered without the"
                        + " candidate alias: %s", jobId, onnx, parity.summary());
            }
            String checkpointSha = Sha256.ofFile(model.checkpointDir().resolve(Checkpoint.MODEL_FILE));
            return new LocalResult(checkpointLocation, model.state().preset(), model.state().epochsCompleted(),
                    model.state().classes(), report, reportDir, onnx, ParityGate.reportPath(onnx), parity,
                    Sha256.ofFile(onnx), Files.size(onnx), checkpointSha);
        } catch (IOException e) {
            throw new UncheckedIOException("job " + jobId + ": cannot write the evaluation into " + jobDir + ": "
                    + e.getMessage(), e);
        }
    }

    private static ShardedDataset openShards(UUID jobId, String shardLocation) {
        Path shards = Path.of(shardLocation);
        if (!Files.isDirectory(shards)) {
            throw new UnusableInputException("job " + jobId + ": the dataset version's shards are missing at " + shards);
        }
        try {
            return ShardedDataset.open(shards);
        } catch (RuntimeException e) {
            throw new UnusableInputException("job " + jobId + ": cannot open the dataset shards at " + shards + ": "
                    + e.getMessage(), e);
        }
    }

    private static TrainedModel load(UUID jobId, Path checkpoint, NDManager manager) {
        try {
            return TrainedModel.load(checkpoint, manager);
        } catch (RuntimeException e) {
            // Truncated params, unreadable state.json, a preset this build does not know: the same
            // checkpoint fails the same way on every retry.
            throw new UnusableInputException("job " + jobId + ": the checkpoint at " + checkpoint
                    + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static ParityReport keepRejected(ModelProto proto, ParityReport failed, Path target) throws IOException {
        OnnxExporter.write(proto, target);
        ParityReport report = new ParityReport(target.toString(), Sha256.ofFile(target), failed.sample(),
                failed.images(), failed.maxAbsLogitDiff(), failed.maxAbsLogit(), failed.tolerance(),
                failed.toleranceRule(), failed.top1Mismatches(), false, failed.onnxRuntimeProvider(),
                failed.djlSeconds(), failed.onnxRuntimeSeconds());
        Path path = ParityGate.reportPath(target);
        Path temp = path.resolveSibling("." + path.getFileName() + ".tmp");
        Files.writeString(temp, report.toJson(), StandardCharsets.UTF_8);
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return report;
    }
}
