package dev.resnetops.contracts.api;

import java.util.EnumSet;
import java.util.Set;

/** The life of a training job. Terminal states never change again. */
public enum JobState {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** The states this one may move to; anything else is a bug or a stale message and is refused. */
    public Set<JobState> next() {
        return switch (this) {
            // QUEUED -> QUEUED: a redelivered job picked up again after its worker died.
            case QUEUED -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(QUEUED, COMPLETED, FAILED, CANCELLED);
            case COMPLETED, FAILED, CANCELLED -> EnumSet.noneOf(JobState.class);
        };
    }

    public boolean canMoveTo(JobState target) {
        return next().contains(target);
    }
}
