package dev.resnetops.inference.stream;

import dev.resnetops.contracts.stream.Prediction;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What becomes of one image record: a prediction, or a dead letter with its reason. */
sealed interface StreamOutcome {

    ConsumerRecord<byte[], byte[]> record();

    record Answered(ConsumerRecord<byte[], byte[]> record, Prediction prediction) implements StreamOutcome {}

    /**
     * @param kind   why, as a fixed label for the metrics
     * @param reason the full explanation, put on the dead letter
     */
    record DeadLettered(ConsumerRecord<byte[], byte[]> record, DeadLetterKind kind, String reason) implements StreamOutcome {}
}
