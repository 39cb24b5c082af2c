package dev.resnetops.store.weights;

import java.time.Instant;
import java.util.List;

/**
 * An uploaded weights file as {@code weight_files} records it.
 *
 * @param location the file in the platform's weights folder, named by its SHA-256
 * @param notes what the reader noticed while checking it (dtype conversions, a training checkpoint's entry)
 */
public record StoredWeights(String name, String sha256, String format, long sizeBytes, int tensors, long parameters,
                            String location,
                            List<String> notes, Instant createdAt) {

    public StoredWeights {
        notes = List.copyOf(notes);
    }
}
