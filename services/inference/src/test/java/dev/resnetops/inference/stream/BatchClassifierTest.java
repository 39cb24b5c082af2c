package dev.resnetops.inference.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.stream.ImageHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The checks made before the model sees an image (the model itself is exercised by the system tests). */
class BatchClassifierTest {

    private final BatchClassifier classifier = new BatchClassifier(100, new BatchInference());

    @Test
    void recordsWithoutRequestIdEmptyOrTooLargeAreDeadLetteredWithReasonsInOrder() {
        List<ConsumerRecord<byte[], byte[]>> records = List.of(
                record(null, new byte[10], 0),
                record("  ", new byte[10], 1),
                record("empty", new byte[0], 2),
                record("null", null, 3),
                record("big", new byte[101], 4));

        // No image reaches the model, so none is needed.
        BatchClassifier.Result result = classifier.classify(records, null);

        assertThat(result.classified()).isZero();
        assertThat(result.outcomes()).extracting(o -> o.record().offset()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(result.outcomes()).allMatch(o -> o instanceof StreamOutcome.DeadLettered);
        List<StreamOutcome.DeadLettered> dead = result.outcomes().stream()
                .map(StreamOutcome.DeadLettered.class::cast).toList();
        assertThat(dead).extracting(StreamOutcome.DeadLettered::kind)
                .containsExactly(DeadLetterKind.MISSING_REQUEST_ID, DeadLetterKind.MISSING_REQUEST_ID,
                        DeadLetterKind.EMPTY, DeadLetterKind.EMPTY, DeadLetterKind.TOO_LARGE);
        assertThat(dead.get(0).reason()).contains("'request-id' header");
        assertThat(dead.get(4).reason()).contains("101 bytes").contains("limit of 100");
    }

    private static ConsumerRecord<byte[], byte[]> record(String requestId, byte[] value, long offset) {
        RecordHeaders headers = new RecordHeaders();
        if (requestId != null) {
            headers.add(ImageHeaders.REQUEST_ID, requestId.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>("resnetops.images", 0, offset, 0L, TimestampType.CREATE_TIME, 0,
                value == null ? 0 : value.length, null, value, headers, Optional.empty());
    }
}
