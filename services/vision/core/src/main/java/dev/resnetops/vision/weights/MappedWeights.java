package dev.resnetops.vision.weights;

import dev.resnetops.vision.weights.TorchKeyLayout.Entry;
import dev.resnetops.vision.weights.TorchKeyLayout.ShortcutNaming;
import java.util.List;

/**
 * A weights file matched against a network: one value array per parameter and BN buffer, in the
 * network's order, or null where the network keeps its own initialisation (a new classifier head).
 *
 * @param notes every intended difference (head replaced, first convolution adapted, counters not
 *     loaded), for the job's log and its MLflow run
 */
public record MappedWeights(List<Entry> entries, List<float[]> values, ShortcutNaming naming, List<String> notes) {

    public MappedWeights {
        if (entries.size() != values.size()) {
            throw new IllegalArgumentException(entries.size() + " entries but " + values.size() + " value arrays");
        }
        entries = List.copyOf(entries);
        values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
        notes = List.copyOf(notes);
    }

    /** Whether the classifier comes from the file (false: initialised for the new classes). */
    public boolean headLoaded() {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).role().isClassifier() && values.get(i) == null) {
                return false;
            }
        }
        return true;
    }
}
