package dev.resnetops.contracts.api;

import java.time.Instant;

/** One entry of a job's history. */
public record JobStateChange(JobState state, String reason, Instant at) {
}
