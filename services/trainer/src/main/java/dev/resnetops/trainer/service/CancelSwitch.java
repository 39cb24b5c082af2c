package dev.resnetops.trainer.service;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Why the running job should stop, if it should: set by a CancelTraining message, by the database's
 * cancel flag, or by losing the lease. The training loop reads it before every step.
 */
public final class CancelSwitch {

    public enum Reason { CANCELLED, LEASE_LOST, SHUTDOWN }

    private final AtomicReference<Reason> reason = new AtomicReference<>();

    public void trip(Reason why) {
        reason.compareAndSet(null, why);
    }

    public boolean tripped() {
        return reason.get() != null;
    }

    public Reason reason() {
        return reason.get();
    }
}
