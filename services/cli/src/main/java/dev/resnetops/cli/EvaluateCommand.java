package dev.resnetops.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.onnx.runtime.ModelMetadata;
import dev.resnetops.onnx.runtime.OnnxSession;
import dev.resnetops.onnx.runtime.OnnxTestSetEvaluator;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.data.TestSplit;
import dev.resnetops.vision.eval.EvaluationReport;
import dev.resnetops.vision.eval.EvaluationReportWriter;
import dev.resnetops.vision.train.TestSetEvaluator;
import dev.resnetops.vision.train.TrainedModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mlops evaluate}: Top-1/Top-5 of a checkpoint (DJL) or of an exported ONNX model (ONNX Runtime, as the
 * evaluator service does) on a dataset's test split, with the full report.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint (on DJL) or an exported ONNX model (on ONNX Runtime, the engine that "
                + "serves it) on the test split: Top-1, Top-5, loss, per-class accuracy and a confusion matrix (CSV "
                + "and PNG).")
final class EvaluateCommand implements Callable<Integer> {

    /** Exactly one of the two: what is evaluated decides the engine. */
    static final class Model {
        @Option(names = {"-c", "--checkpoint"}, required = true, paramLabel = "DIR",
                description = "A run folder of 'mlops train' or its checkpoint/ folder, evaluated on DJL.")
        Path checkpoint;

        @Option(names = "--onnx", required = true, paramLabel = "FILE",
                description = "A model of 'mlops export', evaluated on ONNX Runtime with the preprocessing and classes"
                        + " it carries.")
        Path onnx;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Model model;

    @Mixin DatasetOptions dataset;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Report folder (default: <run folder>/evaluation, or evaluation/ beside the ONNX file).")
    Path out;

    @Option(names = "--max-test-samples", defaultValue = "0", description = "Evaluate a fixed seeded subset (0 = all).")
    int maxTestSamples;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the --max-test-samples subset (default: the checkpoint's training seed; 0 for an"
                    + " ONNX file). The same seed gives both engines the same images.")
    Long seed;

    @Option(names = "--batch-size", defaultValue = "256") int batchSize;

    @Option(names = "--workers", defaultValue = "2") int workers;

    @Option(names = "--threads", defaultValue = "0",
            description = "ONNX Runtime intra-op threads (0 = the processors available to the JVM).")
    int threads;

    @Option(names = "--concurrent-batches", defaultValue = "1", paramLabel = "N",
            description = "ONNX Runtime batches run at once, each on its own thread (default: ${DEFAULT-VALUE}); with"
                    + " --threads 1 and one batch per core, small inputs keep every core busy.")
    int concurrentBatches;

    @Option(names = "--json", description = "End with one JSON line on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (maxTestSamples < 0 || batchSize < 1 || workers < 1 || threads < 0 || concurrentBatches < 1) {
            throw new IllegalArgumentException("--max-test-samples and --threads must be >= 0, --batch-size,"
                    + " --workers and --concurrent-batches >= 1");
        }
        if (model.onnx != null && !Files.isRegularFile(model.onnx)) {
            throw new IllegalArgumentException("no ONNX model at " + model.onnx + " (make one with 'mlops export')");
        }
        ShardedDataset data = dataset.open();
        PrintStream human = json ? System.err : System.out;
        return model.onnx != null ? evaluateOnnx(data, human) : evaluateCheckpoint(data, human);
    }

    private int evaluateCheckpoint(ShardedDataset data, PrintStream human) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainedModel trained = TrainedModel.load(model.checkpoint, manager);
            requireClasses(trained.state().classes(), data);
            if (!trained.state().datasetHash().equals(data.manifest().contentHash())) {
                human.println("note: evaluating on dataset version " + data.manifest().contentHash()
                        + ", the model was trained on " + trained.state().datasetHash());
            }
            TestSetEvaluator evaluator = new TestSetEvaluator(new TestSplit(data, trained.state().preprocessing(),
                    maxTestSamples, batchSize, workers, seed != null ? seed : trained.state().config().seed()));
            human.printf("evaluating %s (epoch %d) on DJL on %,d test images of %s%n", trained.state().preset(),
                    trained.state().epochsCompleted(), evaluator.sampleCount(), data.manifest().name());
            long start = System.nanoTime();
            EvaluationReport report = evaluator.evaluate(trained.block(), manager);
            Path reportDir = out != null ? out : trained.checkpointDir().toAbsolutePath().getParent().resolve("evaluation");
            finish(report, System.nanoTime() - start, data, reportDir, trained.state().preset(), "djl", human);
        }
        return 0;
    }

    private int evaluateOnnx(ShardedDataset data, PrintStream human) throws IOException {
        int intraOp = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        try (OnnxSession session = new OnnxSession(model.onnx, intraOp, false)) {
            ModelMetadata metadata = ModelMetadata.fromProperties(session.customMetadata(), model.onnx.toString());
            requireClasses(metadata.classes(), data);
            OnnxTestSetEvaluator evaluator = new OnnxTestSetEvaluator(new TestSplit(data, metadata.preprocessing(),
                    maxTestSamples, batchSize, workers, seed != null ? seed : 0L));
            human.printf("evaluating %s (%s) on ONNX Runtime (%d intra-op threads, %d batches at once) on %,d test"
                    + " images of %s%n", metadata.preset(), model.onnx.getFileName(), intraOp, concurrentBatches,
                    evaluator.sampleCount(), data.manifest().name());
            long start = System.nanoTime();
            EvaluationReport report = evaluator.evaluate(session, concurrentBatches);
            Path reportDir = out != null ? out : model.onnx.toAbsolutePath().getParent().resolve("evaluation");
            finish(report, System.nanoTime() - start, data, reportDir, metadata.preset(), "onnxruntime", human);
        }
        return 0;
    }

    private static void requireClasses(List<String> modelClasses, ShardedDataset data) {
        if (!modelClasses.equals(data.manifest().classes())) {
            throw new IllegalArgumentException("the model was trained on classes " + modelClasses + " but dataset "
                    + data.manifest().name() + " has " + data.manifest().classes());
        }
    }

    private void finish(EvaluationReport report, long nanos, ShardedDataset data, Path reportDir, String preset,
            String engine, PrintStream human) throws IOException {
        double seconds = nanos / 1e9;
        new EvaluationReportWriter().write(report, data.manifest().classes(), reportDir);
        human.printf("Top-1 %.2f%%  Top-5 %.2f%%  loss %.4f  (%,d images, %.1f img/s)%n", 100 * report.top1(),
                100 * report.top5(), report.loss(), report.count(), report.count() / seconds);
        human.println("report: " + reportDir + " (metrics.json, per_class.csv, confusion_matrix.csv/.png)");
        if (json) {
            ObjectNode node = new ObjectMapper().createObjectNode();
            node.put("model", preset);
            node.put("engine", engine);
            node.put("top1", report.top1());
            node.put("top5", report.top5());
            node.put("loss", report.loss());
            node.put("test_images", report.count());
            node.put("seconds", seconds);
            node.put("images_per_second", report.count() / seconds);
            node.put("report_dir", reportDir.toString());
            System.out.println(node);
        }
    }
}
