package dev.resnetops.tracking;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Datasets logged as a run's inputs come back from MLflow as they were sent, once however often they are sent. */
class DatasetInputsTest {

    private final MlflowClient trainer = TestMlflow.clientOf("trainer");

    @Test
    void aRunsDatasetInputsComeBackWithTheirContextOnceEach() {
        String experimentId = trainer.experimentIdFor(TestMlflow.unique("tracking-inputs"));
        RunInfo run = trainer.createRun(experimentId, "inputs", Instant.now(), Map.of());
        DatasetInput train = new DatasetInput("fashion-mnist", "3f9a0c1d2e4b", "local",
                "{\"uri\":\"/data/fashion-mnist\"}", "{\"images\":60000}", DatasetInput.TRAINING);
        DatasetInput test = new DatasetInput("fashion-mnist (test split)", "3f9a0c1d2e4b", "local",
                "{\"uri\":\"/data/fashion-mnist\"}", null, DatasetInput.EVALUATION);

        trainer.logInputs(run.runId(), List.of(train));
        trainer.logInputs(run.runId(), List.of(train, test)); // a resend after a lost answer

        assertThat(trainer.getRun(run.runId()).datasetInputs()).containsExactlyInAnyOrder(train, test);
    }

    @Test
    void aDigestLongerThanMlflowTakesIsRefusedBeforeSending() {
        assertThatThrownBy(() -> new DatasetInput("d", "a".repeat(64), "local", "{}", null, DatasetInput.TRAINING))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("digest").hasMessageContaining("36");
    }
}
