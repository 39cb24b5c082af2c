package dev.resnetops.tracking;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentsAndRunsTest {

    private final MlflowClient mlflow = TestMlflow.client();

    @Test
    void experimentGetOrCreateTwiceGivesOneId() {
        String name = TestMlflow.unique("tracking-exp");
        String first = mlflow.experimentIdFor(name, Map.of("purpose", "test"));
        String second = mlflow.experimentIdFor(name);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void concurrentCreatorsOfOneExperimentAgreeOnItsId() throws Exception {
        String name = TestMlflow.unique("tracking-race");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(pool.submit((Callable<String>) () -> mlflow.experimentIdFor(name)));
            }
            String expected = ids.get(0).get();
            for (Future<String> id : ids) {
                assertThat(id.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void logBatchDeliversEveryParamTagAndMetricPointOnce() {
        String experimentId = mlflow.experimentIdFor(TestMlflow.unique("tracking-batch"));
        RunInfo run = mlflow.createRun(experimentId, "batch", Instant.now(), Map.of("origin", "test"));
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.artifactUri()).startsWith("mlflow-artifacts:/");

        List<Param> params = IntStream.range(0, 250).mapToObj(i -> new Param("param." + i, "value-" + i)).toList();
        List<Tag> tags = IntStream.range(0, 150).mapToObj(i -> new Tag("tag." + i, "t" + i)).toList();
        // 5 metrics x 500 steps; timestamps run backwards so the server's timestamp order is not step order.
        long base = Instant.now().toEpochMilli();
        List<Metric> metrics = new ArrayList<>();
        for (int step = 0; step < 500; step++) {
            for (int k = 0; k < 5; k++) {
                metrics.add(new Metric("metric." + k, k * 1000 + step * 0.5, base + (500 - step), step));
            }
        }
        mlflow.logBatch(run.runId(), metrics, params, tags);

        Run back = mlflow.getRun(run.runId());
        assertThat(back.params()).hasSize(250);
        params.forEach(p -> assertThat(back.params()).containsEntry(p.key(), p.value()));
        tags.forEach(t -> assertThat(back.tags()).containsEntry(t.key(), t.value()));
        assertThat(back.tags()).containsEntry("origin", "test");
        assertThat(back.latestMetrics()).hasSize(5);
        for (int k = 0; k < 5; k++) {
            List<MetricPoint> history = mlflow.metricHistory(run.runId(), "metric." + k);
            assertThat(history).extracting(MetricPoint::step)
                    .containsExactlyElementsOf(IntStream.range(0, 500).mapToObj(Long::valueOf).toList());
            int key = k;
            assertThat(history).allSatisfy(p -> assertThat(p.value()).isEqualTo(key * 1000 + p.step() * 0.5));
        }
    }

    @Test
    void finishRunSetsStatusAndEndTime() {
        String experimentId = mlflow.experimentIdFor(TestMlflow.unique("tracking-finish"));
        Instant start = Instant.now().minusSeconds(60);
        RunInfo run = mlflow.createRun(experimentId, "finish", start, Map.of());
        Instant end = Instant.ofEpochMilli(Instant.now().toEpochMilli());

        mlflow.finishRun(run.runId(), RunStatus.FINISHED, end);

        RunInfo back = mlflow.getRun(run.runId()).info();
        assertThat(back.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(back.endTime()).isEqualTo(end);
        assertThat(back.startTime()).isEqualTo(Instant.ofEpochMilli(start.toEpochMilli()));
        assertThat(back.runName()).isEqualTo("finish");
    }

    @Test
    void searchRunsFiltersByParam() {
        String experimentId = mlflow.experimentIdFor(TestMlflow.unique("tracking-search"));
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RunInfo run = mlflow.createRun(experimentId, "run-" + i, Instant.now(), Map.of());
            String model = i == 1 ? "baseline" : "paper";
            mlflow.logBatch(run.runId(), List.of(Metric.of("top1", 0.9 + i / 100.0, 0)), List.of(new Param("model", model)), List.of());
            if (i != 1) {
                wanted.add(run.runId());
            }
        }
        List<Run> found = mlflow.searchRuns(List.of(experimentId), "params.model = 'paper'", 10);
        assertThat(found).extracting(r -> r.info().runId()).containsExactlyInAnyOrderElementsOf(wanted);
        assertThat(mlflow.searchRuns(List.of(experimentId), "", 1)).hasSize(1);
    }

    @Test
    void paramOverMlflowsLimitIsRefusedBeforeAnythingIsSent() {
        String experimentId = mlflow.experimentIdFor(TestMlflow.unique("tracking-limit"));
        RunInfo run = mlflow.createRun(experimentId, "limit", Instant.now(), Map.of());
        List<Param> params = List.of(new Param("fine", "x"), new Param("config.json", "y".repeat(MlflowLimits.MAX_PARAM_VALUE_LENGTH + 1)));

        assertThatThrownBy(() -> mlflow.logBatch(run.runId(), List.of(), params, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'config.json'")
                .hasMessageContaining("6000");
        assertThat(mlflow.getRun(run.runId()).params()).isEmpty();
    }
}
