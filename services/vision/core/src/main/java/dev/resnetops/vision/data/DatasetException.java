package dev.resnetops.vision.data;

/**
 * A problem with a dataset that the user can fix: a truncated or malformed file, a missing folder,
 * a tampered shard. The message always names the file and says what to do; it is meant to be shown
 * as is, without a stack trace.
 */
public final class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
