package dev.resnetops.cli.stream;

import java.util.Arrays;
import java.util.Collection;

/**
 * Percentiles of a set of latencies, by the nearest-rank method: the p-th percentile is a value that
 * was really observed (the smallest one with at least p% of the samples at or below it), so a p99 of a
 * hundred samples is the slowest but one, never an interpolation between two requests.
 */
public final class LatencyDistribution {

    private final double[] sortedMillis;

    private LatencyDistribution(double[] sortedMillis) {
        this.sortedMillis = sortedMillis;
    }

    public static LatencyDistribution of(Collection<Double> millis) {
        double[] values = millis.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(values);
        return new LatencyDistribution(values);
    }

    public int count() {
        return sortedMillis.length;
    }

    /** @param percent in (0, 100]; NaN when there are no samples */
    public double percentile(double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("a percentile must be in (0, 100], got " + percent);
        }
        if (sortedMillis.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100 * sortedMillis.length);
        return sortedMillis[Math.max(1, rank) - 1];
    }

    /** NaN when there are no samples. */
    public double max() {
        return sortedMillis.length == 0 ? Double.NaN : sortedMillis[sortedMillis.length - 1];
    }

    /** NaN when there are no samples. */
    public double mean() {
        return sortedMillis.length == 0 ? Double.NaN : Arrays.stream(sortedMillis).average().orElse(Double.NaN);
    }
}
