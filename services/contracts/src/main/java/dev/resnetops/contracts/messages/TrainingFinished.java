package dev.resnetops.contracts.messages;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.api.JobState;
import java.time.Instant;
import java.util.UUID;

/**
 * Event: job {@code jobId} reached a terminal state. On COMPLETED the evaluator takes over from
 * {@code checkpointLocation}; on FAILED or CANCELLED {@code reason} says why.
 *
 * @param mlflowRunId the job's MLflow run (null if the run could not be created yet: MLflow was down)
 */
public record TrainingFinished(int schemaVersion, UUID messageId, Instant occurredAt, UUID jobId, JobState state,
                               String reason, String checkpointLocation, int epochs, Double top1, Double top5,
                               String mlflowRunId) implements Message {

    public static final String TYPE = "TrainingFinished";

    public TrainingFinished {
        Fields.version(schemaVersion);
        Fields.required(messageId, "messageId");
        Fields.required(occurredAt, "occurredAt");
        Fields.required(jobId, "jobId");
        Fields.required(state, "state");
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("state must be COMPLETED, FAILED or CANCELLED, got " + state);
        }
        if (state == JobState.COMPLETED) {
            Fields.requiredText(checkpointLocation, "checkpointLocation");
        } else {
            Fields.requiredText(reason, "reason");
        }
    }

    public static TrainingFinished completed(UUID jobId, String checkpointLocation, int epochs, Double top1,
                                             Double top5, String mlflowRunId) {
        return new TrainingFinished(SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), jobId, JobState.COMPLETED,
                null, checkpointLocation, epochs, top1, top5, mlflowRunId);
    }

    public static TrainingFinished ended(UUID jobId, JobState state, String reason, int epochs, String mlflowRunId) {
        return new TrainingFinished(SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), jobId, state, reason, null,
                epochs, null, null, mlflowRunId);
    }

    @Override
    public String key() {
        return jobId.toString();
    }

    @Override
    public String topic() {
        return Topics.TRAINING_EVENTS;
    }
}
