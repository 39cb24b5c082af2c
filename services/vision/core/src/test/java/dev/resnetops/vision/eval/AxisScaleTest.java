package dev.resnetops.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AxisScaleTest {

    @Test
    void roundsOutwardsToOneTwoFiveSteps() {
        AxisScale scale = AxisScale.covering(0.37, 7.4, 5, false);

        assertThat(scale.step).isEqualTo(2.0);
        assertThat(scale.min).isEqualTo(0.0);
        assertThat(scale.max).isEqualTo(8.0);
        assertThat(scale.ticks()).containsExactly(0.0, 2.0, 4.0, 6.0, 8.0);
    }

    @Test
    void degenerateRangeIsWidenedSoASingleEpochStillHasTicks() {
        AxisScale scale = AxisScale.covering(1, 1, 10, true);

        assertThat(scale.min).isLessThan(1);
        assertThat(scale.max).isGreaterThan(1);
        assertThat(scale.ticks()).contains(1.0);
    }

    @Test
    void labelsUseJustEnoughDecimals() {
        AxisScale scale = AxisScale.covering(0.0, 0.1, 5, false);

        assertThat(scale.label(0.06)).isEqualTo("0.06");
        assertThat(AxisScale.covering(0, 1e-4, 5, false).label(4e-5)).isEqualTo("4.0e-05");
        assertThat(AxisScale.covering(0, 100, 5, false).label(60)).isEqualTo("60");
    }

    @Test
    void mapsValuesLinearlyOntoPixels() {
        AxisScale scale = AxisScale.covering(0, 10, 5, false);

        assertThat(scale.toPixel(5, 100, 300)).isCloseTo(200, within(1e-9));
    }
}
