package dev.resnetops.evaluator.service;

import dev.resnetops.evaluator.config.EvaluatorConfig;
import dev.resnetops.onnx.runtime.ModelMetadata;
import dev.resnetops.onnx.runtime.OnnxSession;
import dev.resnetops.onnx.runtime.OnnxTestSetEvaluator;
import dev.resnetops.vision.data.Sha256;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.data.Split;
import dev.resnetops.vision.data.TestSplit;
import dev.resnetops.vision.eval.EvaluationReport;
import dev.resnetops.vision.eval.EvaluationReportWriter;
import dev.resnetops.vision.train.Checkpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The machine-local half of an evaluation, in the order that makes the registered numbers those of the
 * served artifact: export the checkpoint to ONNX through the parity gate ({@link GatedExport}, DJL), then
 * evaluate that ONNX file on ONNX Runtime over the test split (Top-1, Top-5, loss, per-class accuracy,
 * confusion matrix).
 *
 * <p>When the export fails the gate, the rejected file ({@code model.rejected.onnx}) is what gets evaluated:
 * the version registered for it carries that file, so its numbers describe it, and they show how far the
 * broken export is off on the whole split. It is labelled everywhere ({@link LocalResult#evaluatedFile()},
 * the {@code resnetops.parity = failed} tag) and never gets the candidate alias, so it is never served.
 */
@ApplicationScoped
public class LocalEvaluation {

    public static final String REPORT_DIR = "evaluation";

    private static final Logger LOG = Logger.getLogger(LocalEvaluation.class);

    private final EvaluatorConfig config;
    private final GatedExport export;

    @Inject
    LocalEvaluation(EvaluatorConfig config, GatedExport export) {
        this.config = config;
        this.export = export;
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
        ShardedDataset data = openShards(jobId, shardLocation);
        ExportedCheckpoint exported = export.run(jobId, checkpoint, data, config.parityImages());
        return evaluate(jobId, checkpointLocation, exported, data);
    }

    /** The exported file on ONNX Runtime over the test split, with the report written into the job folder. */
    private LocalResult evaluate(UUID jobId, String checkpointLocation, ExportedCheckpoint exported, ShardedDataset data) {
        Path reportDir = exported.onnxFile().getParent().resolve(REPORT_DIR);
        OnnxTestSetEvaluator evaluator = new OnnxTestSetEvaluator(new TestSplit(data, exported.preprocessing(),
                config.maxTestSamples(), config.batchSize(), config.loaderWorkers(), exported.seed()));
        int threads = onnxThreads();
        int concurrentBatches = config.onnxConcurrentBatches() > 0 ? config.onnxConcurrentBatches() : threads;
        long start = System.nanoTime();
        EvaluationReport report;
        String provider;
        try (OnnxSession session = new OnnxSession(exported.onnxFile(), Math.max(1, threads / concurrentBatches), false)) {
            requireCheckpointPreprocessing(jobId, session, exported);
            provider = session.provider();
            report = evaluator.evaluate(session, concurrentBatches);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.infof("job %s: %s on ONNX Runtime: Top-1 %.4f, Top-5 %.4f, loss %.4f on %d of %d test images"
                        + " (%.1f s, %.0f img/s)", jobId, exported.onnxFile().getFileName(), report.top1(), report.top5(),
                report.loss(), report.count(), data.size(Split.TEST), seconds, report.count() / seconds);
        try {
            new EvaluationReportWriter().write(report, data.manifest().classes(), reportDir);
            return new LocalResult(checkpointLocation, exported.preset(), exported.epochs(), exported.classes(),
                    report, reportDir, exported.onnxFile(), exported.parityFile(), exported.parity(),
                    Sha256.ofFile(exported.onnxFile()), Files.size(exported.onnxFile()), exported.checkpointSha256(),
                    new LocalResult.Engine(LocalResult.Engine.ONNX_RUNTIME, provider, threads, concurrentBatches),
                    exported.init());
        } catch (IOException e) {
            throw new UncheckedIOException("job " + jobId + ": cannot write the evaluation into " + reportDir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The file is evaluated with the checkpoint's preprocessing (DJL's evaluation uses it too); a server uses
     * the copy in the file's metadata. The exporter writes one from the other, so a difference means the
     * file is not this checkpoint's export, and its numbers would describe something else.
     */
    private static void requireCheckpointPreprocessing(UUID jobId, OnnxSession session, ExportedCheckpoint exported) {
        ModelMetadata metadata = ModelMetadata.fromProperties(session.customMetadata(), exported.onnxFile().toString());
        String expected = exported.preprocessing().specHash();
        if (!metadata.preprocessing().specHash().equals(expected)) {
            throw new IllegalStateException("job " + jobId + ": " + exported.onnxFile() + " carries preprocessing "
                    + metadata.preprocessing().specHash() + " but its checkpoint's is " + expected);
        }
    }

    /**
     * ONNX Runtime's threads: the configured number, else the processors this JVM may use. Not ONNX
     * Runtime's own default (one per physical core of the host), which in a container limited to fewer CPUs
     * than the host has would run more threads than the quota and be throttled.
     */
    private int onnxThreads() {
        return config.onnxThreads() > 0 ? config.onnxThreads() : Runtime.getRuntime().availableProcessors();
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
}
