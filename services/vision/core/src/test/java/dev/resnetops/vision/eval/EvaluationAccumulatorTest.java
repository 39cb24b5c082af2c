package dev.resnetops.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EvaluationAccumulatorTest {

    private static final double EPS = 1e-6;

    @Test
    void crossEntropyTop1AndTop5MatchHandComputedValues() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(3);

        accumulator.add(new float[] {2f, 1f, 0.1f, 0.5f, 2.5f, -1f}, new int[] {0, 1});

        // row 0: log(e^2 + e^1 + e^0.1) = log(7.389056 + 2.718282 + 1.105171) = 2.4170300 -> CE 0.4170300
        // row 1: log(e^0.5 + e^2.5 + e^-1) = log(1.648721 + 12.182494 + 0.367879) = 2.6531782 -> CE 0.1531782
        // mean: (0.4170300 + 0.1531782) / 2 = 0.2851041
        EvaluationReport report = accumulator.report();
        assertThat(report.loss()).isCloseTo(0.2851041, within(EPS));
        assertThat(report.count()).isEqualTo(2);
        assertThat(report.top1()).isEqualTo(1.0);
        assertThat(report.topK()).isEqualTo(3);
        assertThat(report.top5()).isEqualTo(1.0);
    }

    @Test
    void lossIsStableForHugeLogits() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(2);

        // Naive exp(1000) overflows to infinity; shifted log-sum-exp gives log(1 + e^-1) = 0.3132617.
        accumulator.add(new float[] {1000f, 999f}, new int[] {0});

        assertThat(accumulator.report().loss()).isCloseTo(0.3132617, within(EPS));
    }

    @Test
    void topKCountsLabelsRankedBelowKAndUsesFiveWhenThereAreEnoughClasses() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(7);
        float[] logits = {
            7, 6, 5, 4, 3, 2, 1, // label 4: rank 4 -> top-5 hit, top-1 miss
            7, 6, 5, 4, 3, 2, 1, // label 5: rank 5 -> top-5 miss
            1, 2, 3, 4, 5, 6, 7, // label 6: rank 0 -> top-1 hit
            1, 9, 1, 1, 1, 1, 1, // label 1: rank 0 -> top-1 hit
        };

        accumulator.add(logits, new int[] {4, 5, 6, 1});

        EvaluationReport report = accumulator.report();
        assertThat(report.topK()).isEqualTo(5);
        assertThat(report.top1()).isEqualTo(0.5);
        assertThat(report.top5()).isEqualTo(0.75);
    }

    @Test
    void tiesRankLowerClassIndexFirstLikeArgmax() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(6);
        float[] logits = {
            0, 0, 0, 0, 0, 0, // constant row, label 0: first maximum -> top-1 hit
            0, 0, 0, 0, 0, 0, // constant row, label 5: five equal logits at lower indices -> rank 5, no top-5
            0, 0, 0, 0, 0, 0, // constant row, label 4: rank 4 -> top-5 hit only
        };

        accumulator.add(logits, new int[] {0, 5, 4});

        EvaluationReport report = accumulator.report();
        assertThat(report.top1()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(report.top5()).isCloseTo(2.0 / 3, within(EPS));
        // every constant row is predicted as class 0, the first maximum
        long[][] confusion = report.confusion();
        assertThat(confusion[0][0]).isEqualTo(1);
        assertThat(confusion[5][0]).isEqualTo(1);
        assertThat(confusion[4][0]).isEqualTo(1);
    }

    @Test
    void confusionMatrixAndPerClassCountsFollowPredictions() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(3);
        float[] logits = {
            5, 0, 0, // true 0 -> predicted 0
            5, 0, 0, // true 0 -> predicted 0
            0, 5, 0, // true 0 -> predicted 1
            0, 5, 0, // true 1 -> predicted 1
            5, 0, 0, // true 1 -> predicted 0
        };

        accumulator.add(logits, new int[] {0, 0, 0, 1, 1});

        EvaluationReport report = accumulator.report();
        assertThat(report.confusion()).isDeepEqualTo(new long[][] {{2, 1, 0}, {1, 1, 0}, {0, 0, 0}});
        // class 0: 2 of 3 correct; predicted 0 three times, 2 correctly
        assertThat(report.perClass().get(0)).isEqualTo(new ClassAccuracy(0, 3, 2, 2.0 / 3, 2.0 / 3, 2.0 / 3));
        // class 1: 1 of 2 correct; predicted 1 twice, once correctly
        assertThat(report.perClass().get(1)).isEqualTo(new ClassAccuracy(1, 2, 1, 0.5, 0.5, 0.5));
        // class 2 never occurs and is never predicted: zero rather than NaN
        assertThat(report.perClass().get(2)).isEqualTo(new ClassAccuracy(2, 0, 0, 0.0, 0.0, 0.0));
        assertThat(report.top1()).isEqualTo(0.6);
    }

    @Test
    void onlyTheFirstNRowsOfAReusedBufferAreCounted() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(2);
        // the stale second row has an out-of-range label that must not even be validated
        accumulator.add(new float[] {1, 0, 0, 1}, new int[] {0, 99}, 1);

        assertThat(accumulator.count()).isEqualTo(1);
        assertThat(accumulator.report().confusion()).isDeepEqualTo(new long[][] {{1, 0}, {0, 0}});
    }

    @Test
    void batchesAccumulateAcrossCalls() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(2);
        accumulator.add(new float[] {1, 0}, new int[] {0});
        accumulator.add(new float[] {1, 0, 0, 1}, new int[] {1, 1});

        EvaluationReport report = accumulator.report();
        assertThat(report.count()).isEqualTo(3);
        assertThat(report.top1()).isCloseTo(2.0 / 3, within(EPS));
    }

    @Test
    void scalarsUseTheMetricKeys() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(3);
        accumulator.add(new float[] {2f, 1f, 0.1f, 0.5f, 2.5f, -1f}, new int[] {0, 1});

        assertThat(accumulator.report().scalars())
                .containsOnlyKeys("count", "top1", "top5", "loss", "mean_class_accuracy")
                .containsEntry(ClassificationMetric.TOP1.key(), 1.0)
                .containsEntry(ClassificationMetric.COUNT.key(), 2.0);
        // class 2 has no samples, so it contributes a zero to the balanced accuracy
        assertThat(accumulator.report().scalars().get("mean_class_accuracy")).isCloseTo(2.0 / 3, within(EPS));
    }

    @Test
    void rejectsFewerThanTwoClasses() {
        assertThatThrownBy(() -> new EvaluationAccumulator(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected numClasses >= 2, found 1");
    }

    @Test
    void rejectsLogitsWhoseLengthDoesNotMatchLabelsTimesClasses() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(3);

        assertThatThrownBy(() -> accumulator.add(new float[] {1, 2, 3, 4}, new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected logits of length labels.length x numClasses = 2 x 3 = 6, found 4");
    }

    @Test
    void rejectsNOutsideTheBatchCapacity() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(2);

        assertThatThrownBy(() -> accumulator.add(new float[] {1, 0}, new int[] {0}, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected n in [0, 1] (the batch capacity), found 2");
    }

    @Test
    void rejectsOutOfRangeLabelAndLeavesTheAccumulatorUnchanged() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(3);

        assertThatThrownBy(() -> accumulator.add(new float[] {1, 0, 0, 1, 0, 0}, new int[] {0, 3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected labels in [0, 3), found 3 at row 1");
        assertThat(accumulator.count()).isZero();
    }

    @Test
    void rejectsNaNLogits() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(2);

        assertThatThrownBy(() -> accumulator.add(new float[] {0, Float.NaN}, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected finite logits, found NaN at row 0, class 1");
    }

    @Test
    void reportWithoutSamplesIsAnError() {
        assertThatThrownBy(() -> new EvaluationAccumulator(2).report())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("expected at least one evaluated sample, found 0");
    }
}
