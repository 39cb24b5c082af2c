package dev.resnetops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.vision.eval.EvaluationReport;
import dev.resnetops.vision.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;

/** The end-of-run summary, for people and (with {@code --json}) for scripts. */
record RunSummary(TrainingResult result, Path runDir, double seconds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static RunSummary of(TrainingResult result, Path runDir, double seconds) {
        return new RunSummary(result, runDir, seconds);
    }

    void print(PrintStream out) {
        EvaluationReport eval = result.finalEvaluation();
        out.println();
        out.printf("%s after %d/%d epochs%s%n", result.config().model(), result.epochsCompleted(),
                result.config().epochs(), result.stopped() ? " (stopped; rerun with the same --out to resume)" : "");
        if (eval == null) {
            out.println("  stopped before an epoch ended: nothing new was evaluated");
        } else {
            out.printf("  test Top-1 %.2f%%  Top-5 %.2f%%  loss %.4f  (%,d images)%n", 100 * eval.top1(),
                    100 * eval.top5(), eval.loss(), eval.count());
        }
        out.printf("  training %.1f img/s on %s (%s), wall time %s%n", result.trainImagesPerSecond(), result.device(),
                result.precision(), ProgressPrinter.formatDuration(seconds));
        out.printf("  run folder %s (checkpoint/, evaluation/, metrics.csv, training_curve.png)%n", runDir);
        out.flush();
    }

    String toJson() {
        EvaluationReport eval = result.finalEvaluation();
        ObjectNode node = JSON.createObjectNode();
        node.put("model", result.config().model());
        // Null numbers when the run stopped before an epoch ended (nothing was evaluated).
        node.put("top1", eval == null ? null : eval.top1());
        node.put("top5", eval == null ? null : eval.top5());
        node.put("test_loss", eval == null ? null : eval.loss());
        node.put("test_images", eval == null ? null : eval.count());
        node.put("epochs", result.epochsCompleted());
        node.put("epochs_planned", result.config().epochs());
        node.put("train_img_per_s", result.trainImagesPerSecond());
        node.put("device", result.device());
        node.put("precision", result.precision());
        node.put("stopped", result.stopped());
        node.put("seconds", seconds);
        node.put("run_dir", runDir.toString());
        node.put("checkpoint", result.checkpointDir().toString());
        return node.toString();
    }
}
