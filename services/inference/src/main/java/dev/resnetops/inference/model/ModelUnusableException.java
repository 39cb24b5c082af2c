package dev.resnetops.inference.model;

/** A registered version that cannot be served (no ONNX file, wrong hash, not a resnetops model); the message says why. */
public final class ModelUnusableException extends RuntimeException {

    public ModelUnusableException(String message) {
        super(message);
    }

    public ModelUnusableException(String message, Throwable cause) {
        super(message, cause);
    }
}
