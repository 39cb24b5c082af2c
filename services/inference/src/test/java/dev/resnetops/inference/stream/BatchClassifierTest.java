package dev.resnetops.inference.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.contracts.stream.ImageHeaders;
import dev.resnetops.contracts.stream.ServedModel;
import dev.resnetops.inference.model.LoadedModel;
import dev.resnetops.inference.model.TestModels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The checks made before the model sees an image, and what a failing model call does to a batch (the real
 * model is exercised by the system tests; here its call is {@link FakeInference}).
 */
class BatchClassifierTest {

    private static final LoadedModel MODEL = TestModels.withoutSession(
            new ServedModel("resnetops-test", "champion", 7, "abc123", "resnet50-small"));

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

    @Test
    void aBatchTheModelThrowsOnIsClassifiedImageByImageAndOnlyTheImageThatFailsAloneIsDeadLetteredWithTheException() {
        FakeInference model = new FakeInference().fault("poison", FakeInference.Fault.THROWS);
        List<ConsumerRecord<byte[], byte[]>> records = List.of(record("a", new byte[10], 0),
                record("poison", new byte[10], 1), record("b", new byte[10], 2), record(null, new byte[10], 3));

        BatchClassifier.Result result = new BatchClassifier(100, model).classify(records, MODEL);

        assertThat(result.classified()).isEqualTo(2);
        assertThat(result.outcomes()).extracting(o -> o.record().offset()).containsExactly(0L, 1L, 2L, 3L);
        assertThat(result.outcomes().get(0)).isInstanceOf(StreamOutcome.Answered.class);
        assertThat(result.outcomes().get(2)).isInstanceOf(StreamOutcome.Answered.class);
        StreamOutcome.Answered a = (StreamOutcome.Answered) result.outcomes().get(0);
        assertThat(a.prediction().requestId()).isEqualTo("a");
        assertThat(a.prediction().model().version()).isEqualTo(7);
        assertThat(a.prediction().best().index()).isEqualTo(FakeInference.CLASS);
        StreamOutcome.DeadLettered poison = (StreamOutcome.DeadLettered) result.outcomes().get(1);
        assertThat(poison.kind()).isEqualTo(DeadLetterKind.MODEL_FAILED);
        assertThat(poison.reason()).contains("the model failed on this image")
                .contains("IllegalStateException: ONNX Runtime: unexpected tensor for poison")
                .contains("the other images of its batch were answered");
        assertThat(((StreamOutcome.DeadLettered) result.outcomes().get(3)).kind())
                .isEqualTo(DeadLetterKind.MISSING_REQUEST_ID);
        // Once in the batch, once alone.
        assertThat(model.calls("a")).isEqualTo(2);
        assertThat(model.calls("poison")).isEqualTo(2);
    }

    @Test
    void aModelCallReturningFewerResultsThanImagesIsTreatedAsAFailureAndRetriedImageByImage() {
        FakeInference model = new FakeInference().fault("b", FakeInference.Fault.DROPS_A_RESULT);

        BatchClassifier.Result result = new BatchClassifier(100, model)
                .classify(List.of(record("a", new byte[1], 0), record("b", new byte[1], 1)), MODEL);

        assertThat(result.classified()).isEqualTo(2);
        assertThat(result.outcomes()).allMatch(o -> o instanceof StreamOutcome.Answered);
        assertThat(result.outcomes()).extracting(o -> ((StreamOutcome.Answered) o).prediction().requestId())
                .containsExactly("a", "b");
    }

    @Test
    void anErrorOnABatchIsNotCaughtSoThatTheStreamSessionIsRebuilt() {
        FakeInference model = new FakeInference().fault("deep", FakeInference.Fault.STACK_OVERFLOW);

        assertThatThrownBy(() -> new BatchClassifier(100, model).classify(
                List.of(record("a", new byte[1], 0), record("deep", new byte[1], 1)), MODEL))
                .isInstanceOf(StackOverflowError.class);
    }

    @Test
    void oneByOneAnImageThatOverflowsTheStackAloneIsDeadLetteredAndTheOthersAreAnswered() {
        FakeInference model = new FakeInference().fault("deep", FakeInference.Fault.STACK_OVERFLOW);

        BatchClassifier.Result result = new BatchClassifier(100, model).classify(
                List.of(record("a", new byte[1], 0), record("deep", new byte[1], 1), record("b", new byte[1], 2)),
                MODEL, true);

        assertThat(result.classified()).isEqualTo(2);
        StreamOutcome.DeadLettered deep = (StreamOutcome.DeadLettered) result.outcomes().get(1);
        assertThat(deep.kind()).isEqualTo(DeadLetterKind.MODEL_FAILED);
        assertThat(deep.reason()).contains("StackOverflowError: a test fault for deep");
        assertThat(model.calls("a")).isEqualTo(1);
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
