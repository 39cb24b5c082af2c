package dev.resnetops.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyDistributionTest {

    @Test
    void percentilesAreObservedValuesByNearestRank() {
        List<Double> millis = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            millis.add((double) i); // unsorted on purpose
        }
        LatencyDistribution d = LatencyDistribution.of(millis);
        assertThat(d.count()).isEqualTo(100);
        assertThat(d.percentile(50)).isEqualTo(50.0);
        assertThat(d.percentile(95)).isEqualTo(95.0);
        assertThat(d.percentile(99)).isEqualTo(99.0);
        assertThat(d.percentile(100)).isEqualTo(100.0);
        assertThat(d.max()).isEqualTo(100.0);
        assertThat(d.mean()).isEqualTo(50.5);
    }

    @Test
    void smallSamplesRoundTheRankUp() {
        LatencyDistribution d = LatencyDistribution.of(List.of(10.0, 20.0, 30.0));
        assertThat(d.percentile(50)).isEqualTo(20.0);
        assertThat(d.percentile(99)).isEqualTo(30.0);
        assertThat(d.percentile(1)).isEqualTo(10.0);
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        LatencyDistribution d = LatencyDistribution.of(List.of(7.5));
        assertThat(d.percentile(50)).isEqualTo(7.5);
        assertThat(d.percentile(99)).isEqualTo(7.5);
    }

    @Test
    void noSamplesGiveNaN() {
        LatencyDistribution d = LatencyDistribution.of(Collections.emptyList());
        assertThat(d.percentile(50)).isNaN();
        assertThat(d.max()).isNaN();
        assertThat(d.mean()).isNaN();
    }

    @Test
    void rejectsPercentilesOutsideTheRange() {
        LatencyDistribution d = LatencyDistribution.of(List.of(1.0));
        assertThatThrownBy(() -> d.percentile(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> d.percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
