package dev.resnetops.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.eval.EvaluationReport;
import dev.resnetops.vision.eval.EvaluationReportWriter;
import dev.resnetops.vision.train.TestSetEvaluator;
import dev.resnetops.vision.train.TrainedModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops evaluate}: Top-1/Top-5 of a checkpoint on a dataset's test split, with the full report. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint on the test split: Top-1, Top-5, loss, per-class accuracy and a "
                + "confusion matrix (CSV and PNG).")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = {"-c", "--checkpoint"}, required = true, paramLabel = "DIR",
            description = "A run folder of 'mlops train' or its checkpoint/ folder.")
    Path checkpoint;

    @Mixin DatasetOptions dataset;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Report folder (default: <run folder>/evaluation).")
    Path out;

    @Option(names = "--max-test-samples", defaultValue = "0", description = "Evaluate a fixed seeded subset (0 = all).")
    int maxTestSamples;

    @Option(names = "--batch-size", defaultValue = "256") int batchSize;

    @Option(names = "--workers", defaultValue = "2") int workers;

    @Option(names = "--json", description = "End with one JSON line on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (maxTestSamples < 0 || batchSize < 1 || workers < 1) {
            throw new IllegalArgumentException("--max-test-samples must be >= 0, --batch-size and --workers >= 1");
        }
        ShardedDataset data = dataset.open();
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainedModel model = TrainedModel.load(checkpoint, manager);
            if (!model.state().classes().equals(data.manifest().classes())) {
                throw new IllegalArgumentException("the checkpoint was trained on classes " + model.state().classes()
                        + " but dataset " + data.manifest().name() + " has " + data.manifest().classes());
            }
            PrintStream human = json ? System.err : System.out;
            if (!model.state().datasetHash().equals(data.manifest().contentHash())) {
                human.println("note: evaluating on dataset version " + data.manifest().contentHash()
                        + ", the model was trained on " + model.state().datasetHash());
            }
            TestSetEvaluator evaluator = new TestSetEvaluator(data, model.state().preprocessing(), maxTestSamples,
                    batchSize, workers, model.state().config().seed());
            human.printf("evaluating %s (epoch %d) on %,d test images of %s%n", model.state().preset(),
                    model.state().epochsCompleted(), evaluator.sampleCount(), data.manifest().name());
            long start = System.nanoTime();
            EvaluationReport report = evaluator.evaluate(model.block(), manager);
            double seconds = (System.nanoTime() - start) / 1e9;
            Path reportDir = out != null ? out : model.checkpointDir().toAbsolutePath().getParent().resolve("evaluation");
            new EvaluationReportWriter().write(report, data.manifest().classes(), reportDir);

            human.printf("Top-1 %.2f%%  Top-5 %.2f%%  loss %.4f  (%,d images, %.1f img/s)%n", 100 * report.top1(),
                    100 * report.top5(), report.loss(), report.count(), report.count() / seconds);
            human.println("report: " + reportDir + " (metrics.json, per_class.csv, confusion_matrix.csv/.png)");
            if (json) {
                ObjectNode node = new ObjectMapper().createObjectNode();
                node.put("model", model.state().preset());
                node.put("top1", report.top1());
                node.put("top5", report.top5());
                node.put("loss", report.loss());
                node.put("test_images", report.count());
                node.put("report_dir", reportDir.toString());
                System.out.println(node);
            }
        }
        return 0;
    }
}
