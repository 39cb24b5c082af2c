package dev.resnetops.inference.service;

import dev.resnetops.loops.BackgroundLoop;

/**
 * The model run failed for a batch of {@code POST /classify} images (ONNX Runtime, a bug): every caller of
 * that batch, and only of that batch, gets this as a 500. Images that cannot be decoded never get here;
 * they are refused with a 400 before they are queued.
 */
public final class ClassificationFailedException extends RuntimeException {

    private ClassificationFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    public static ClassificationFailedException ofBatch(int batchSize, Throwable cause) {
        return new ClassificationFailedException("the model failed on a batch of " + batchSize + " image"
                + (batchSize == 1 ? "" : "s") + " (this one among them): " + BackgroundLoop.describe(cause)
                + ". Send the image again; if it keeps failing, see the inference service's log", cause);
    }
}
