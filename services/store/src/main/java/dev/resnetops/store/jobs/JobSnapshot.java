package dev.resnetops.store.jobs;

import dev.resnetops.contracts.api.JobState;

/**
 * The columns a state decision needs, read in one query (and under the row's lock by {@link JobStore#lock}).
 *
 * @param leaseExpired true when no lease is held or it ran out: nobody is training the job now
 * @param mlflowRunId  null until the trainer's tracking relay has created the run
 */
public record JobSnapshot(JobState state, boolean cancelRequested, String leaseOwner, boolean leaseExpired,
                          int attempt, String mlflowRunId, String experiment) {
}
