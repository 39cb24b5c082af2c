package dev.resnetops.store.jobs;

import java.util.UUID;

/** A RUNNING job whose worker stopped renewing its lease, locked for the reaper's transaction. */
public record ExpiredLease(UUID jobId, String worker, boolean cancelRequested) {
}
