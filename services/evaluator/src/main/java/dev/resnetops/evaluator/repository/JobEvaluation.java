package dev.resnetops.evaluator.repository;

import java.util.UUID;

/**
 * A {@code job_evaluations} row: the job's numbers on the test split.
 *
 * @param perClassJson [{"class": name, "support": n, "correct": n, "accuracy": a, "precision": p, "recall": r}]
 * @param topK         the k behind {@code top5}: min(5, classes)
 */
public record JobEvaluation(UUID jobId, double top1, double top5, int topK, double loss, String perClassJson,
                            String confusionMatrixLocation, String reportLocation, long testImages) {
}
