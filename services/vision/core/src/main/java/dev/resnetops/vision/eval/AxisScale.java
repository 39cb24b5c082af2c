package dev.resnetops.vision.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A linear axis rounded outwards to "nice" tick values (1, 2 or 5 times a power of ten), so
 * that tick labels read 0.5, 1.0, 1.5 rather than 0.4817, 0.9634.
 */
final class AxisScale {

    final double min;
    final double max;
    final double step;

    private AxisScale(double min, double max, double step) {
        this.min = min;
        this.max = max;
        this.step = step;
    }

    /**
     * The nice range covering {@code [low, high]} with about {@code targetTicks} intervals. A
     * degenerate range (one epoch, a constant learning rate) is widened so it still has ticks.
     */
    static AxisScale covering(double low, double high, int targetTicks, boolean integerSteps) {
        if (!(Double.isFinite(low) && Double.isFinite(high) && low <= high)) {
            throw new IllegalArgumentException("expected a finite range low <= high, found [" + low + ", " + high + "]");
        }
        if (high == low) {
            double margin = low == 0.0 ? 1.0 : Math.abs(low) * 0.1;
            low -= margin;
            high += margin;
        }
        double rough = (high - low) / Math.max(1, targetTicks);
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double normalised = rough / magnitude;
        double nice = normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10;
        double step = nice * magnitude;
        if (integerSteps) {
            step = Math.max(1.0, Math.ceil(step));
        }
        // The small tolerance keeps 0.30000000000000004 / 0.1 from adding a spurious extra tick.
        double min = Math.floor(low / step + 1e-9) * step;
        double max = Math.ceil(high / step - 1e-9) * step;
        return new AxisScale(min, max, step);
    }

    /** The same step, with the range clipped to {@code [floor, ceiling]} (e.g. 0..100 %). */
    AxisScale clippedTo(double floor, double ceiling) {
        return new AxisScale(Math.max(min, floor), Math.min(max, ceiling), step);
    }

    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        long first = (long) Math.ceil(min / step - 1e-9);
        long last = (long) Math.floor(max / step + 1e-9);
        for (long k = first; k <= last; k++) {
            ticks.add(k * step);
        }
        return ticks;
    }

    /** Maps a value to a pixel coordinate between {@code atMin} and {@code atMax}. */
    double toPixel(double value, double atMin, double atMax) {
        return atMin + (value - min) / (max - min) * (atMax - atMin);
    }

    /** A tick label with just enough decimals to tell neighbouring ticks apart. */
    String label(double value) {
        if (value == 0.0) {
            return "0";
        }
        if (step < 1e-3 || Math.abs(value) >= 1e6) {
            return String.format(Locale.ROOT, "%.1e", value);
        }
        int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
