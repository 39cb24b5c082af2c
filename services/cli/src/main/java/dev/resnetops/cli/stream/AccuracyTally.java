package dev.resnetops.cli.stream;

import dev.resnetops.contracts.stream.PredictedLabel;
import java.util.List;
import java.util.Locale;

/**
 * Top-1 and Top-5 accuracy of predictions against true labels. Labels are compared by class name
 * (ignoring case and surrounding blanks), not by index: a folder of images knows its classes only by
 * their folder names, and a model trained elsewhere may order its classes differently.
 */
public final class AccuracyTally {

    public static final int TOP_K = 5;

    private int labelled;
    private int top1;
    private int top5;

    /** Counts one prediction of an image whose true class is {@code trueLabel}; most probable class first. */
    public void add(String trueLabel, List<PredictedLabel> top) {
        if (trueLabel == null) {
            return;
        }
        labelled++;
        String expected = normalise(trueLabel);
        for (int i = 0; i < Math.min(TOP_K, top.size()); i++) {
            if (expected.equals(normalise(top.get(i).label()))) {
                if (i == 0) {
                    top1++;
                }
                top5++;
                return;
            }
        }
    }

    /** Predictions of images with a known true label. */
    public int labelled() {
        return labelled;
    }

    /** NaN when no image had a true label. */
    public double top1() {
        return labelled == 0 ? Double.NaN : top1 / (double) labelled;
    }

    /**
     * NaN when no image had a true label. A prediction that lists fewer than five classes (the
     * service's top-k setting) counts only the classes it lists.
     */
    public double top5() {
        return labelled == 0 ? Double.NaN : top5 / (double) labelled;
    }

    private static String normalise(String label) {
        return label == null ? "" : label.strip().toLowerCase(Locale.ROOT);
    }
}
