package dev.resnetops.evaluator.service;

/**
 * The job's checkpoint or dataset cannot be evaluated (missing, corrupt, classes that do not match):
 * no retry can fix that, so the event is logged and skipped. The message names the job and the path.
 */
public final class UnusableInputException extends RuntimeException {

    public UnusableInputException(String message, Throwable cause) {
        super(message, cause);
    }

    public UnusableInputException(String message) {
        super(message);
    }
}
