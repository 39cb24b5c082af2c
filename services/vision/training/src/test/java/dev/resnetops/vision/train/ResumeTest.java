package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.data.ShardedDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint and resume on real Fashion-MNIST images (a small fixed subset, a small model). */
class ResumeTest {

    private static final TrainingConfig CONFIG = TrainingConfig.builder()
            .model("resnet18-small")
            .epochs(2)
            .batchSize(64)
            .learningRate(0.05)
            .warmupEpochs(0.5)
            .maxTrainSamples(512)
            .maxTestSamples(256)
            .seed(7)
            .build();

    private static ShardedDataset data;
    private static TrainingResult uninterrupted;

    @TempDir
    static Path dir;

    @BeforeAll
    static void trainWithoutInterruption() {
        data = FashionMnist.dataset();
        uninterrupted = run(dir.resolve("uninterrupted"), null);
    }

    @Test
    void resumedRunMatchesUninterruptedRunAfterTheInterruption() {
        Path out = dir.resolve("interrupted");
        TrainingResult first = run(out, 1);
        assertThat(first.stopped()).isTrue();
        assertThat(first.epochsCompleted()).isEqualTo(1);
        assertThat(Files.exists(out.resolve("checkpoint/state.json"))).isTrue();

        TrainingResult resumed = run(out, null);
        assertThat(resumed.stopped()).isFalse();
        assertThat(resumed.history()).hasSize(2);
        EpochMetrics expected = uninterrupted.history().get(1);
        EpochMetrics actual = resumed.history().get(1);
        assertThat(actual.globalStep()).isEqualTo(expected.globalStep());
        assertThat(actual.learningRate()).isEqualTo(expected.learningRate());
        assertThat(actual.trainLoss()).isCloseTo(expected.trainLoss(), within(1e-4 * Math.abs(expected.trainLoss()) + 1e-5));
        assertThat(actual.testTop1()).isCloseTo(expected.testTop1(), within(2.0 / 256));
    }

    @Test
    void sameSeedGivesTheSameFirstEpochLoss() {
        TrainingResult again = run(dir.resolve("again"), 1);
        assertThat(again.history().get(0).trainLoss()).isEqualTo(uninterrupted.history().get(0).trainLoss());
    }

    @Test
    void refusesToResumeACheckpointOfADifferentConfiguration() {
        TrainingConfig other = CONFIG.toBuilder().learningRate(0.1).build();
        assertThatThrownBy(() -> TrainingRun.builder().setConfig(other).setDataset(data)
                        .setOutputDir(dir.resolve("uninterrupted")).build().run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("different configuration");
    }

    @Test
    void resumingAFinishedRunReportsWithoutTrainingAgain() {
        TrainingResult again = run(dir.resolve("uninterrupted"), null);
        assertThat(again.epochsCompleted()).isEqualTo(2);
        assertThat(again.trainImagesPerSecond()).isZero();
        assertThat(again.finalEvaluation().top1()).isCloseTo(uninterrupted.finalEvaluation().top1(), within(1e-9));
    }

    @Test
    void aRunCancelledBeforeItsFirstEpochEndedEvaluatesNothing() {
        TrainingResult cancelled = TrainingRun.builder().setConfig(CONFIG).setDataset(data)
                .setOutputDir(dir.resolve("cancelled-at-once")).optCancellation(() -> true).build().run();
        assertThat(cancelled.stopped()).isTrue();
        assertThat(cancelled.epochsCompleted()).isZero();
        assertThat(cancelled.finalEvaluation()).as("a cancel must not wait for a test pass").isNull();
    }

    private static TrainingResult run(Path out, Integer stopAfterEpoch) {
        AtomicBoolean stop = new AtomicBoolean();
        return TrainingRun.builder()
                .setConfig(CONFIG)
                .setDataset(data)
                .setOutputDir(out)
                .optCancellation(stop::get)
                .addListener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochMetrics metrics) {
                        if (stopAfterEpoch != null && metrics.epoch() >= stopAfterEpoch) {
                            stop.set(true);
                        }
                    }
                })
                .build()
                .run();
    }
}
