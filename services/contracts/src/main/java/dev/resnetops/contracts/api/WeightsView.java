package dev.resnetops.contracts.api;

import java.time.Instant;
import java.util.List;

/**
 * An uploaded weights file as the API shows it.
 *
 * @param init what a job's {@code config.init} names to start from it: {@code weights:<name>}
 * @param format safetensors, pytorch-zip or pytorch-legacy
 * @param tensors how many tensors it holds
 * @param parameters how many numbers those tensors hold together
 * @param notes what the reader noticed (dtype conversions, a training checkpoint's entry)
 */
public record WeightsView(String name, String init, String sha256, String format, long sizeBytes, int tensors,
                          long parameters, List<String> notes, Instant createdAt) {

    public WeightsView {
        notes = List.copyOf(notes);
    }
}
