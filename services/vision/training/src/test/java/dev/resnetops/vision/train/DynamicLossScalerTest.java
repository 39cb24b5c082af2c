package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DynamicLossScalerTest {

    @Test
    void overflowHalvesTheScaleAndSkipsTheStep() {
        DynamicLossScaler scaler = new DynamicLossScaler(65536, 3);
        assertThat(scaler.update(false)).isFalse();
        assertThat(scaler.scale()).isEqualTo(32768);
    }

    @Test
    void scaleGrowsBackAfterGrowthIntervalCleanSteps() {
        DynamicLossScaler scaler = new DynamicLossScaler(1024, 3);
        scaler.update(false); // 512
        assertThat(scaler.update(true)).isTrue();
        assertThat(scaler.update(true)).isTrue();
        assertThat(scaler.scale()).isEqualTo(512);
        assertThat(scaler.update(true)).isTrue();
        assertThat(scaler.scale()).isEqualTo(1024);
    }

    @Test
    void overflowResetsTheCleanStepCount() {
        DynamicLossScaler scaler = new DynamicLossScaler(1024, 2);
        scaler.update(true);
        scaler.update(false); // 512, count reset
        scaler.update(true);
        assertThat(scaler.scale()).isEqualTo(512);
    }

    @Test
    void restoredScalerContinuesWhereItStopped() {
        DynamicLossScaler scaler = new DynamicLossScaler(1024, 2);
        scaler.update(true);
        DynamicLossScaler restored = DynamicLossScaler.restore(scaler.state(), 2);
        restored.update(true);
        assertThat(restored.scale()).isEqualTo(2048);
    }
}
