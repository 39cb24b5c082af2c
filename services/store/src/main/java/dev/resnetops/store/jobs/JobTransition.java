package dev.resnetops.store.jobs;

import dev.resnetops.contracts.api.JobState;
import dev.resnetops.store.TransitionRefusedException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Every way a job's state may change: the rule table {@link JobStore} checks before each write, under
 * the row's lock. A new job is always inserted QUEUED; the final states (COMPLETED, FAILED, CANCELLED)
 * have no way out. What a transition needs beyond the state (no cancel requested, who holds the lease)
 * is its guard, checked by the store method that performs it and written next to each constant here.
 */
public enum JobTransition {

    /** A worker takes a queued job: lease, attempt + 1. Guard: no cancel was requested. */
    CLAIM(JobState.QUEUED, JobState.RUNNING),
    /**
     * A worker takes a running job over. Guard: no cancel was requested, and the lease expired (its
     * worker died) or this worker already holds it (the same command delivered to it again).
     */
    TAKE_OVER(JobState.RUNNING, JobState.RUNNING),
    /**
     * Back to the queue without a lease, with a new StartTraining: the holder shuts down, or the reaper
     * finds the lease expired. Guard: the lease is the named holder's.
     */
    REQUEUE(JobState.RUNNING, JobState.QUEUED),
    /** Cancelled before a worker ran it: by the API, or by a worker that finds the request on a queued job. */
    CANCEL_QUEUED(JobState.QUEUED, JobState.CANCELLED),
    /** A worker cannot run the job's command at all (its configuration does not decode): no lease is taken. */
    REJECT(JobState.QUEUED, JobState.FAILED),
    /** The run finished every epoch. Guard: the finishing worker holds the lease. */
    COMPLETE(JobState.RUNNING, JobState.COMPLETED),
    /** The run failed, with the reason. Guard: the finishing worker holds the lease. */
    FAIL(JobState.RUNNING, JobState.FAILED),
    /**
     * A cancel request stopped the run. Guard: the finishing worker holds the lease, or (the reaper) the
     * lease expired while the request was pending.
     */
    CANCEL_RUNNING(JobState.RUNNING, JobState.CANCELLED);

    private final JobState from;
    private final JobState to;

    JobTransition(JobState from, JobState to) {
        this.from = from;
        this.to = to;
    }

    public JobState from() {
        return from;
    }

    public JobState to() {
        return to;
    }

    /** The transition from {@code from} to {@code to}, if the rules have one. */
    public static Optional<JobTransition> between(JobState from, JobState to) {
        return Arrays.stream(values()).filter(t -> t.from == from && t.to == to).findFirst();
    }

    /** The states a job in {@code from} may move to; empty for a final state. */
    public static Set<JobState> targets(JobState from) {
        return Arrays.stream(values()).filter(t -> t.from == from).map(JobTransition::to)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(JobState.class)));
    }

    /** The end a worker's run reaches: COMPLETED, FAILED or CANCELLED. */
    public static JobTransition endOfRun(JobState outcome) {
        return switch (outcome) {
            case COMPLETED -> COMPLETE;
            case FAILED -> FAIL;
            case CANCELLED -> CANCEL_RUNNING;
            case QUEUED, RUNNING -> throw new IllegalArgumentException(outcome + " is not how a run ends");
        };
    }

    /** @throws TransitionRefusedException when the job, now in {@code current}, cannot take this transition */
    public void check(UUID jobId, JobState current) {
        if (current != from) {
            throw refused(jobId, current, to);
        }
    }

    static TransitionRefusedException refused(UUID jobId, JobState current, JobState wanted) {
        Set<JobState> allowed = targets(current);
        String why = allowed.isEmpty() ? current + " is final"
                : "from " + current + " it may only become " + allowed.stream().map(Enum::name)
                        .collect(Collectors.joining(" or "));
        return new TransitionRefusedException("job " + jobId + " cannot move from " + current + " to " + wanted
                + " (" + why + ")");
    }
}
