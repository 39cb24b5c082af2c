package dev.resnetops.cli.stream;

/** The stream could not run: Kafka unreachable, a topic missing, a send refused. The message says what to do. */
public final class StreamFailedException extends RuntimeException {

    public StreamFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
