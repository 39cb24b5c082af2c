package dev.resnetops.contracts.stream;

import java.time.Instant;
import java.util.List;

/**
 * The answer for one image, on the predictions topic (same key as the image) and from
 * {@code POST /classify}.
 *
 * @param requestId       the image's request id
 * @param model           the version that classified it
 * @param top             most probable class first
 * @param inferenceMillis time inside the model for the batch the image was part of
 * @param batchSize       images classified together with this one (1 for REST)
 * @param queuedMillis    for a streamed image, from the image record's timestamp to the start of its batch
 *                        (0 for REST); end-to-end latency is best measured by the sender
 */
public record Prediction(int schemaVersion, String requestId, ServedModel model, List<PredictedLabel> top,
                         double inferenceMillis, int batchSize, double queuedMillis, Instant producedAt) {

    public static final int SCHEMA_VERSION = 1;

    public Prediction {
        top = top == null ? List.of() : List.copyOf(top);
    }

    /** The most probable class. */
    public PredictedLabel best() {
        return top.get(0);
    }
}
