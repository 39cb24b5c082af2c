package dev.resnetops.cli.stream;

import java.util.List;
import java.util.Map;

/**
 * The outcome of streaming a set of images: what was sent, how each was answered, how accurate and how
 * fast. Unknown numbers (no labelled image, no prediction) are null, so the JSON form never has NaN.
 *
 * @param deadLetterReasons  reason → images dead-lettered for it, most frequent first
 * @param duplicates         answers for a request id that had already been answered (exactly-once says 0)
 * @param foreign            answers for request ids this run did not send (another client's), ignored
 * @param missing            names of the images without an answer when the run stopped
 * @param labelled           predictions of images whose true class was known
 * @param seconds            from the first send to the last answer
 * @param perModelVersion    predictions per model version that made them ("name vN (preset)"), in order of first use
 */
public record StreamSummary(int sent, int predicted, int deadLettered, Map<String, Integer> deadLetterReasons,
                            int duplicates, int foreign, List<String> missing, int labelled, Double top1, Double top5,
                            Double seconds, Double imagesPerSecond, Latency latencyMillis,
                            Map<String, Integer> perModelVersion) {

    /** End-to-end latency of the predictions, send → prediction received, in milliseconds. */
    public record Latency(int count, Double p50, Double p95, Double p99, Double max) {}

    public int answered() {
        return predicted + deadLettered;
    }

    public boolean complete() {
        return missing.isEmpty();
    }
}
