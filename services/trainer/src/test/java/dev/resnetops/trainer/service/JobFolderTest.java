package dev.resnetops.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import dev.resnetops.vision.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's folder: nothing to resume in a fresh one, the configuration written once, the artifacts in order. */
class JobFolderTest {

    @TempDir
    Path jobsDir;

    @Test
    void aFreshFolderHasNothingToResume() {
        JobFolder folder = JobFolder.of(jobsDir, UUID.randomUUID());

        assertThat(folder.completedEpochs()).isZero();
        assertThat(folder.checkpointedEpochs()).isEmpty();
    }

    @Test
    void theConfigurationIsWrittenOnceAndAResumedRunKeepsTheFirst() throws Exception {
        JobFolder folder = JobFolder.of(jobsDir, UUID.randomUUID());
        TrainingConfig first = TrainingConfig.builder().model("resnet18-small").epochs(2).build();

        folder.prepare(first);
        folder.prepare(first.toBuilder().epochs(9).build());

        assertThat(TrainingConfigCodec.read(folder.dir().resolve("config.yaml"))).isEqualTo(first);
    }

    @Test
    void aCompletedRunUploadsMetricsCurveConfigAndCheckpoint() throws Exception {
        JobFolder folder = JobFolder.of(jobsDir, UUID.randomUUID());
        Files.createDirectories(folder.dir());
        RunFiles files = new RunFiles(folder.dir(), List.of("a", "b"));
        Path checkpoint = folder.dir().resolve("checkpoint");

        assertThat(folder.artifacts(files, checkpoint)).as("no curve drawn").containsExactly(
                Map.entry(files.metricsCsv().toString(), ""),
                Map.entry(folder.dir().resolve("config.yaml").toString(), ""),
                Map.entry(checkpoint.toString(), "checkpoint"));

        Files.writeString(files.trainingCurve(), "png");
        assertThat(folder.artifacts(files, checkpoint).keySet()).containsExactly(files.metricsCsv().toString(),
                files.trainingCurve().toString(), folder.dir().resolve("config.yaml").toString(), checkpoint.toString());
    }
}
