package dev.resnetops.inference.model;

/** No model is loaded yet (the alias does not exist or its version is still loading); REST answers 503. */
public final class NoModelException extends RuntimeException {

    public NoModelException(String message) {
        super(message);
    }
}
