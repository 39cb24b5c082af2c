package dev.resnetops.vision.train;

import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.eval.EvaluationReport;
import java.nio.file.Path;
import java.util.List;

/**
 * How a run ended.
 *
 * @param finalEvaluation the test-split evaluation after the last completed epoch; null when the run was
 *                        stopped before any epoch of it ended (nothing new to evaluate, and a cancelled
 *                        job should end now, not after a test pass)
 * @param trainImagesPerSecond mean training throughput over the epochs this process ran
 * @param stopped true when the run was stopped before its last epoch (a later run resumes it)
 */
public record TrainingResult(
        TrainingConfig config,
        int epochsCompleted,
        List<EpochMetrics> history,
        EvaluationReport finalEvaluation,
        double trainImagesPerSecond,
        Path checkpointDir,
        String device,
        String precision,
        boolean stopped) {

    public TrainingResult {
        history = List.copyOf(history);
    }
}
