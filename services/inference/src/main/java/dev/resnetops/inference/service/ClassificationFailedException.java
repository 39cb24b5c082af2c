package dev.resnetops.inference.service;

/**
 * The model run failed for a batch of {@code POST /classify} images (ONNX Runtime, a bug): every caller of
 * that batch, and only of that batch, gets a 500. Images that cannot be decoded never get here; they are
 * refused with a 400 before they are queued. The message is safe to show a caller; the cause, which may
 * name files of the server, goes to the log only.
 */
public final class ClassificationFailedException extends RuntimeException {

    private ClassificationFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    public static ClassificationFailedException ofBatch(int batchSize, Throwable cause) {
        return new ClassificationFailedException("the model failed on a batch of " + batchSize + " image"
                + (batchSize == 1 ? "" : "s") + " (this one among them); send the image again", cause);
    }
}
