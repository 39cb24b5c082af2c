package dev.resnetops.inference.service;

/**
 * {@code POST /classify} cannot take the image now: the batching queue is full, or the service is shutting
 * down. REST answers 503 with Retry-After; the request itself was fine and can be sent again.
 */
public final class ClassifyBusyException extends RuntimeException {

    private ClassifyBusyException(String message) {
        super(message);
    }

    public static ClassifyBusyException queueFull(int capacity) {
        return new ClassifyBusyException("the classification queue is full (" + capacity + " images waiting,"
                + " mlops.inference.rest-batching.max-queued): retry shortly, or send many images through the"
                + " Kafka stream (./mlops stream), which has back-pressure");
    }

    public static ClassifyBusyException shuttingDown() {
        return new ClassifyBusyException("the inference service is shutting down: send the image again (to"
                + " another instance, or to this one once it is back)");
    }
}
