package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void cosineWarmsUpLinearlyThenAnnealsToTheFinalValue() {
        CosineWarmupSchedule schedule = new CosineWarmupSchedule(0.2, 0.0, 100, 1100);
        assertThat(schedule.learningRate(0)).isCloseTo(0.002, within(1e-12));
        assertThat(schedule.learningRate(49)).isCloseTo(0.1, within(1e-12));
        assertThat(schedule.learningRate(99)).isCloseTo(0.2, within(1e-12)); // end of warm-up
        assertThat(schedule.learningRate(100)).isCloseTo(0.2, within(1e-12)); // cosine starts at the base
        assertThat(schedule.learningRate(600)).isCloseTo(0.1, within(1e-12)); // half-way: the mean
        assertThat(schedule.learningRate(1100)).isCloseTo(0.0, within(1e-12)); // end: the final value
    }

    @Test
    void cosineEndsAtAConfiguredNonZeroFinalValue() {
        CosineWarmupSchedule schedule = new CosineWarmupSchedule(0.1, 0.001, 0, 50);
        assertThat(schedule.learningRate(0)).isCloseTo(0.1, within(1e-12));
        assertThat(schedule.learningRate(25)).isCloseTo(0.0505, within(1e-12));
        assertThat(schedule.learningRate(50)).isCloseTo(0.001, within(1e-12));
    }

    @Test
    void stepScheduleDropsByGammaAtMilestones() {
        StepSchedule schedule = new StepSchedule(0.2, 10, 100, new double[] {0.5, 0.75}, 0.1);
        assertThat(schedule.learningRate(9)).isCloseTo(0.2, within(1e-12));
        assertThat(schedule.learningRate(49)).isCloseTo(0.2, within(1e-12));
        assertThat(schedule.learningRate(50)).isCloseTo(0.02, within(1e-12));
        assertThat(schedule.learningRate(74)).isCloseTo(0.02, within(1e-12));
        assertThat(schedule.learningRate(75)).isCloseTo(0.002, within(1e-12));
        assertThat(schedule.learningRate(99)).isCloseTo(0.002, within(1e-12));
    }
}
