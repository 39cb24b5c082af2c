package dev.resnetops.vision.weights;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a weights file held: its tensors by name, in file order, and where they came from.
 *
 * @param sha256 of the whole file, for provenance
 * @param notes what the reader decided on the user's behalf (e.g. "the state dict is the
 *     'state_dict' entry of a training checkpoint"), to be shown in the job's log
 */
public record WeightsFile(Path path, WeightsFormat format, String sha256, Map<String, StoredTensor> tensors,
        List<String> notes) {

    public WeightsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        notes = List.copyOf(notes);
    }

    public long parameterCount() {
        return tensors.values().stream().mapToLong(t -> t.values().length).sum();
    }
}
