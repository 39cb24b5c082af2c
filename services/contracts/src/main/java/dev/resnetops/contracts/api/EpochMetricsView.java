package dev.resnetops.contracts.api;

import java.time.Instant;

/** Metrics of one finished epoch of a job (validation = the dataset's test split). */
public record EpochMetricsView(int epoch, double trainLoss, double learningRate, Double valTop1, Double valTop5,
                               Double valLoss, double imagesPerSecond, double epochSeconds, Instant recordedAt) {
}
