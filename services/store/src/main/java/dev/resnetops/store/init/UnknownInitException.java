package dev.resnetops.store.init;

/** A job's init names a job, model version or uploaded file that does not exist or has no weights. */
public class UnknownInitException extends IllegalArgumentException {

    public UnknownInitException(String message) {
        super(message);
    }
}
