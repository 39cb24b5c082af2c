package dev.resnetops.contracts.stream;

/**
 * Kafka header names on the image stream ({@link dev.resnetops.contracts.Topics#IMAGES}), its predictions
 * and its dead-letter topic. Header values are UTF-8 strings.
 */
public final class ImageHeaders {

    /** Required on every image: the caller's id, echoed in its prediction. An image without one is dead-lettered. */
    public static final String REQUEST_ID = "request-id";
    /** Optional: {@code image/png} or {@code image/jpeg}; the service sniffs the bytes either way. */
    public static final String CONTENT_TYPE = "content-type";

    /** On a dead-lettered image: why it was not classified. */
    public static final String DLQ_REASON = "dlq-reason";
    /** On a dead-lettered image: where it was read from ("topic-partition@offset"). */
    public static final String DLQ_SOURCE = "dlq-source";

    private ImageHeaders() {
    }
}
