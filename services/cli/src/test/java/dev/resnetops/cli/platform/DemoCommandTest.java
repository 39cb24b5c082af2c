package dev.resnetops.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.contracts.api.ModelVersionView;
import dev.resnetops.vision.config.ScheduleKind;
import dev.resnetops.vision.config.TrainingConfig;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo's choices that need no platform: the two recipes, the budget flags, and which version wins. */
class DemoCommandTest {

    private static ModelVersionView version(int number, Double top1, boolean parity) {
        return new ModelVersionView("resnetops-fashion-mnist", number, UUID.randomUUID(), UUID.randomUUID(), top1, 0.9,
                parity, null, "s3://x", "abc", List.of("candidate"), Instant.EPOCH);
    }

    @Test
    void theBudgetFlagsReachBothRunsAndTheRecipesDiffer() {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--epochs", "10", "--max-train-samples", "0", "--batch-size", "512", "--lr", "0.2",
                "--augment");

        TrainingConfig baseline = demo.baselineConfig();
        TrainingConfig paper = demo.paperConfig();
        for (TrainingConfig config : List.of(baseline, paper)) {
            assertThat(config.epochs()).isEqualTo(10);
            assertThat(config.maxTrainSamples()).isZero();
            assertThat(config.batchSize()).isEqualTo(512);
            assertThat(config.learningRate()).isEqualTo(0.2);
            assertThat(config.augment()).isTrue();
            assertThat(config.maxTestSamples()).isEqualTo(500); // the default the flags left alone
        }
        assertThat(baseline.model()).isEqualTo("resnet50-small");
        assertThat(baseline.schedule()).isEqualTo(ScheduleKind.STEP);
        assertThat(baseline.labelSmoothing()).isZero();
        assertThat(paper.model()).isEqualTo("resnet50-paper-small");
        assertThat(paper.schedule()).isEqualTo(ScheduleKind.COSINE);
        assertThat(paper.labelSmoothing()).isEqualTo(0.1);
    }

    @Test
    void theDefaultBudgetIsTheFewMinuteOne() {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs();
        TrainingConfig paper = demo.paperConfig();
        assertThat(paper.epochs()).isEqualTo(2);
        assertThat(paper.batchSize()).isEqualTo(32);
        assertThat(paper.learningRate()).isEqualTo(0.1);
        assertThat(paper.maxTrainSamples()).isEqualTo(3072);
        assertThat(paper.warmupEpochs()).isEqualTo(0.5);
        assertThat(paper.augment()).isFalse();
    }

    @Test
    void promotesTheBestTop1AmongVersionsThatPassedParity() {
        ModelVersionView best = version(2, 0.80, true);
        assertThat(DemoCommand.champion(List.of(version(1, 0.70, true), best))).isSameAs(best);
        assertThat(DemoCommand.champion(List.of(best, version(3, 0.95, false)))).isSameAs(best);
    }

    @Test
    void aTieGoesToTheLaterJobThePapers() {
        ModelVersionView paper = version(2, 0.80, true);
        assertThat(DemoCommand.champion(List.of(version(1, 0.80, true), paper))).isSameAs(paper);
    }

    @Test
    void refusesWhenNoVersionPassedParity() {
        assertThatThrownBy(() -> DemoCommand.champion(List.of(version(1, 0.9, false))))
                .isInstanceOf(DemoFailedException.class).hasMessageContaining("parity");
    }
}
