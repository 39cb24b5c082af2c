package dev.resnetops.trainer.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.store.datasets.JobDataset;
import dev.resnetops.tracking.DatasetInput;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a training run's Dataset column in MLflow says, from the job's dataset row. */
class TrainingDatasetInputsTest {

    private static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final UUID VERSION = UUID.fromString("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");

    @Test
    void namesTheTrainSplitForTrainingAndTheTestSplitForEvaluationWithOneDigest() throws Exception {
        List<DatasetInput> inputs = TrainingDatasetInputs.of(new JobDataset("fashion-mnist",
                "/usr/share/datasets/fashion-mnist", VERSION, SHA256, "idx", 10, 60_000, 10_000));

        assertThat(inputs).extracting(DatasetInput::name, DatasetInput::context).containsExactly(
                tuple("fashion-mnist", "training"),
                tuple("fashion-mnist (test split)", "evaluation"));
        ObjectMapper json = new ObjectMapper();
        for (DatasetInput input : inputs) {
            assertThat(input.digest()).isEqualTo("9f86d081884c");
            assertThat(input.sourceType()).isEqualTo("local");
            assertThat(json.readTree(input.source()).path("uri").asText()).isEqualTo("/usr/share/datasets/fashion-mnist");
            assertThat(json.readTree(input.profile()).path("sha256").asText()).isEqualTo(SHA256);
            assertThat(json.readTree(input.profile()).path("dataset_version").asText()).isEqualTo(VERSION.toString());
        }
        assertThat(json.readTree(inputs.get(0).profile()).path("images").asLong()).isEqualTo(60_000);
        assertThat(json.readTree(inputs.get(1).profile()).path("images").asLong()).isEqualTo(10_000);
    }

    @Test
    void aNameLongerThanMlflowTakesIsCutNotRefused() {
        List<DatasetInput> inputs = TrainingDatasetInputs.of(new JobDataset("n".repeat(600), "/d", VERSION, SHA256,
                "imagefolder", 2, 10, 2));

        assertThat(inputs).allSatisfy(input -> assertThat(input.name().length()).isLessThanOrEqualTo(500));
        assertThat(inputs.get(1).name()).endsWith(" (test split)");
    }
}
