package dev.resnetops.tracking;

/** One point of a metric's history (the key is the one that was asked for). */
public record MetricPoint(long step, double value, long timestampMs) {
}
