package dev.resnetops.contracts.messages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.UUID;

/**
 * A command or event on Kafka. Every message carries its type name, a schema version (readers refuse
 * versions newer than they know instead of guessing), a unique id (consumers deduplicate redeliveries
 * by it) and the time it happened.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = IngestDataset.class, name = IngestDataset.TYPE),
        @JsonSubTypes.Type(value = DatasetReady.class, name = DatasetReady.TYPE),
        @JsonSubTypes.Type(value = DatasetFailed.class, name = DatasetFailed.TYPE),
        @JsonSubTypes.Type(value = StartTraining.class, name = StartTraining.TYPE),
        @JsonSubTypes.Type(value = CancelTraining.class, name = CancelTraining.TYPE),
        @JsonSubTypes.Type(value = TrainingStarted.class, name = TrainingStarted.TYPE),
        @JsonSubTypes.Type(value = TrainingProgress.class, name = TrainingProgress.TYPE),
        @JsonSubTypes.Type(value = EpochCompleted.class, name = EpochCompleted.TYPE),
        @JsonSubTypes.Type(value = TrainingFinished.class, name = TrainingFinished.TYPE),
        @JsonSubTypes.Type(value = ModelAliasMoved.class, name = ModelAliasMoved.TYPE)
})
public sealed interface Message
        permits IngestDataset, DatasetReady, DatasetFailed, StartTraining, CancelTraining, TrainingStarted,
        TrainingProgress, EpochCompleted, TrainingFinished, ModelAliasMoved {

    /** The schema version this code writes and the newest it reads. */
    int SCHEMA_VERSION = 1;

    int schemaVersion();

    UUID messageId();

    Instant occurredAt();

    /** The Kafka record key: the id of the dataset or job the message is about. */
    @JsonIgnore
    String key();

    /** The topic this kind of message travels on. */
    @JsonIgnore
    String topic();
}
