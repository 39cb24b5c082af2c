package dev.resnetops.tracking;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogBatchSplitterTest {

    private static List<Metric> metrics(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Metric("loss", i, 1_000L + i, i)).toList();
    }

    private static List<Param> params(int n, int valueLength) {
        return IntStream.range(0, n).mapToObj(i -> new Param("p" + i, "v".repeat(valueLength))).toList();
    }

    private static List<Tag> tags(int n, int valueLength) {
        return IntStream.range(0, n).mapToObj(i -> new Tag("t" + i, "v".repeat(valueLength))).toList();
    }

    @Test
    void everyRequestStaysWithinMlflowsCountLimitsAndNothingIsLostOrReordered() {
        List<Metric> metrics = metrics(2_500);
        List<Param> params = params(250, 10);
        List<Tag> tags = tags(150, 10);

        List<LogBatchSplitter.Chunk> chunks = LogBatchSplitter.split(metrics, params, tags);

        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.metrics()).hasSizeLessThanOrEqualTo(MlflowLimits.MAX_METRICS_PER_BATCH);
            assertThat(c.params()).hasSizeLessThanOrEqualTo(MlflowLimits.MAX_PARAMS_PER_BATCH);
            assertThat(c.tags()).hasSizeLessThanOrEqualTo(MlflowLimits.MAX_TAGS_PER_BATCH);
            assertThat(c.size()).isLessThanOrEqualTo(MlflowLimits.MAX_ENTITIES_PER_BATCH);
        });
        assertThat(chunks.stream().flatMap(c -> c.metrics().stream()).toList()).isEqualTo(metrics);
        assertThat(chunks.stream().flatMap(c -> c.params().stream()).toList()).isEqualTo(params);
        assertThat(chunks.stream().flatMap(c -> c.tags().stream()).toList()).isEqualTo(tags);
        // 2,900 entities at 1,000 per request: full requests, not one per kind.
        assertThat(chunks).hasSize(3);
    }

    @Test
    void longValuesAreSpreadOverRequestsUnderOneMegabyte() {
        List<Param> params = params(100, MlflowLimits.MAX_PARAM_VALUE_LENGTH);
        List<Tag> tags = tags(100, MlflowLimits.MAX_TAG_VALUE_LENGTH);

        List<LogBatchSplitter.Chunk> chunks = LogBatchSplitter.split(List.of(), params, tags);

        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks).allSatisfy(c -> {
            long bytes = c.params().stream().mapToLong(p -> p.key().length() + p.value().length() + 20).sum()
                    + c.tags().stream().mapToLong(t -> t.key().length() + t.value().length() + 20).sum();
            assertThat(bytes).isLessThan(MlflowLimits.MAX_BATCH_REQUEST_BYTES);
        });
        assertThat(chunks.stream().mapToInt(LogBatchSplitter.Chunk::size).sum()).isEqualTo(200);
    }

    @Test
    void emptyBatchSendsNothing() {
        assertThat(LogBatchSplitter.split(List.of(), List.of(), List.of())).isEmpty();
    }

    @Test
    void paramLongerThanMlflowAllowsIsRefusedNamingTheKey() {
        List<Param> params = List.of(new Param("ok", "x"), new Param("augmentation", "x".repeat(6_001)));
        assertThatThrownBy(() -> LogBatchSplitter.split(List.of(), params, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("param 'augmentation'")
                .hasMessageContaining("6001 characters")
                .hasMessageContaining("at most 6000");
    }

    @Test
    void lengthIsCountedInCharactersAsMlflowCountsThem() {
        // 6000 emoji are 12,000 UTF-16 units but 6000 characters to Python: allowed.
        String emoji = "\uD83D\uDE00".repeat(MlflowLimits.MAX_PARAM_VALUE_LENGTH);
        assertThat(LogBatchSplitter.split(List.of(), List.of(new Param("face", emoji)), List.of())).hasSize(1);
    }

    @Test
    void tagOverItsLimitAndOverlongKeysAreRefused() {
        assertThatThrownBy(() -> LogBatchSplitter.split(List.of(), List.of(), List.of(new Tag("notes", "n".repeat(8_001)))))
                .hasMessageContaining("tag 'notes'");
        assertThatThrownBy(() -> LogBatchSplitter.split(metrics(0), List.of(new Param("k".repeat(251), "v")), List.of()))
                .hasMessageContaining("251 characters");
    }

    @Test
    void sameParamWithTwoValuesIsRefused() {
        assertThatThrownBy(() -> LogBatchSplitter.split(List.of(), List.of(new Param("lr", "0.1"), new Param("lr", "0.2")), List.of()))
                .hasMessageContaining("param 'lr' appears twice");
    }
}
