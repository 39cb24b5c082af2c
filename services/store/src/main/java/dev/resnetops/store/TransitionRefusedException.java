package dev.resnetops.store;

/**
 * A write the table's transition rules do not allow: a job leaving a final state, a dataset finishing
 * twice, an alias pointed at a version that may not hold it. The message names the row, the state it
 * is in and the one asked for. Nothing was written; the caller's transaction is still usable.
 */
public class TransitionRefusedException extends IllegalStateException {

    public TransitionRefusedException(String message) {
        super(message);
    }
}
