package dev.resnetops.cli.platform;

/** A step of {@code mlops demo} that the platform could not complete; the message says which and why. */
final class DemoFailedException extends RuntimeException {

    DemoFailedException(String message) {
        super(message);
    }
}
