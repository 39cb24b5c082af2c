package dev.resnetops.inference.stream;

/**
 * Why a streamed image went to the dead-letter topic, as a fixed short label for the metrics
 * ({@code inference_dead_letters_total{kind}}); the record itself carries the full reason.
 */
public enum DeadLetterKind {
    MISSING_REQUEST_ID("missing-request-id"),
    EMPTY("empty"),
    TOO_LARGE("too-large"),
    UNDECODABLE("undecodable"),
    /** The model threw on this image, also when it was classified alone (a bug, ONNX Runtime, an odd tensor). */
    MODEL_FAILED("model-failed");

    private final String label;

    DeadLetterKind(String label) {
        this.label = label;
    }

    /** The metric label. */
    public String label() {
        return label;
    }
}
