package dev.resnetops.trainer.service;

/** A job this worker has claimed: its lease is held until {@link JobRunner#train} ends. */
public record ClaimedJob(TrainingOrder order, int attempt, JobFolder folder) {
}
