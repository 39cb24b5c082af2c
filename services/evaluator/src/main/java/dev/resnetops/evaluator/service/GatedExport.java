package dev.resnetops.evaluator.service;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.resnetops.onnx.export.OnnxExporter;
import dev.resnetops.onnx.export.ParityFailedException;
import dev.resnetops.onnx.export.ParityGate;
import dev.resnetops.onnx.export.ParityReport;
import dev.resnetops.onnx.export.ParitySample;
import dev.resnetops.vision.data.Sha256;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.train.Checkpoint;
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
 * The DJL half of an evaluation: load the checkpoint, export it to ONNX and run the parity gate on a
 * sample of test images. The only step that needs the checkpoint's weights in DJL; they are freed
 * before it returns, so the ONNX Runtime session that evaluates the file afterwards never shares the
 * heap and native memory with them.
 */
@ApplicationScoped
public class GatedExport {

    /** The gated export's file name in the job folder. */
    public static final String ONNX_FILE = "model.onnx";
    /**
     * Where an export that failed the parity gate is kept. Never at {@link #ONNX_FILE}: that name promises
     * a verified model (the gate's contract), but the rejected file is still worth keeping for diagnosis.
     */
    public static final String REJECTED_ONNX_FILE = "model.rejected.onnx";

    private static final Logger LOG = Logger.getLogger(GatedExport.class);

    private final ParityGate gate = new ParityGate();

    /**
     * @param checkpoint a checkpoint folder; its parent is the job folder the ONNX file goes to
     * @throws UnusableInputException the checkpoint cannot be loaded or was trained on other classes
     */
    public ExportedCheckpoint run(UUID jobId, Path checkpoint, ShardedDataset data, int parityImages) {
        Path jobDir = checkpoint.getParent();
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainedModel model = load(jobId, checkpoint, manager);
            if (!model.state().classes().equals(data.manifest().classes())) {
                throw new UnusableInputException("job " + jobId + ": the checkpoint at " + checkpoint
                        + " was trained on classes " + model.state().classes() + " but the dataset at "
                        + data.directory() + " has " + data.manifest().classes());
            }
            ModelProto proto = toOnnx(model, jobId.toString());
            ParitySample sample = ParitySample.fromTestSplit(data, model.state().preprocessing(), parityImages);
            Path onnx = jobDir.resolve(ONNX_FILE);
            ParityReport parity;
            try {
                parity = gate.exportGated(proto, model.block(), sample, onnx);
                LOG.infof("job %s: %s", jobId, parity.summary());
            } catch (ParityFailedException e) {
                onnx = jobDir.resolve(REJECTED_ONNX_FILE);
                parity = keepRejected(proto, e.report(), onnx);
                LOG.errorf("job %s: ONNX export failed the parity gate, kept as %s; it is evaluated and registered"
                        + " as the rejected file, without the candidate alias: %s", jobId, onnx, parity.summary());
            }
            return new ExportedCheckpoint(model.state().preset(), model.state().epochsCompleted(),
                    model.state().classes(), model.state().preprocessing(), model.state().config().seed(), onnx,
                    ParityGate.reportPath(onnx), parity,
                    Sha256.ofFile(model.checkpointDir().resolve(Checkpoint.MODEL_FILE)), model.state().init());
        } catch (IOException e) {
            throw new UncheckedIOException("job " + jobId + ": cannot write the ONNX export into " + jobDir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The exporter's graph of the checkpoint, with its metadata. Overridable so that a test can hand the gate
     * a corrupted graph and follow a rejected export through the whole service.
     */
    protected ModelProto toOnnx(TrainedModel model, String runId) {
        return OnnxExporter.export(model, runId);
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
