package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class LabelSmoothingCrossEntropyLossTest {

    private static final float[][] LOGITS = {{2f, 1f, 0.1f}, {0.5f, 2.5f, -1f}};
    private static final int[] LABELS = {0, 1};

    @Test
    void matchesPyTorchLabelSmoothingOnHandComputedExample() {
        // torch.nn.CrossEntropyLoss(label_smoothing=0.1)(logits, [0, 1]) = 0.425104
        assertThat(loss(0.1f)).isCloseTo(0.425104, within(1e-6));
    }

    @Test
    void zeroEpsilonIsPlainCrossEntropy() {
        // -log softmax picked at the labels, averaged: (0.4170300 + 0.1531782) / 2
        double expected = (logSumExp(LOGITS[0]) - 2.0 + logSumExp(LOGITS[1]) - 2.5) / 2;
        assertThat(loss(0f)).isCloseTo(expected, within(1e-6));
        assertThat(expected).isCloseTo(0.2851041, within(1e-6));
    }

    @Test
    void rejectsEpsilonOutsideUnitInterval() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LabelSmoothingCrossEntropyLoss(1f))
                .hasMessageContaining("found 1.0");
    }

    private static double loss(float eps) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(LOGITS);
            NDArray labels = manager.create(LABELS);
            return new LabelSmoothingCrossEntropyLoss(eps).evaluate(logits, labels).getFloat();
        }
    }

    private static double logSumExp(float[] row) {
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v);
        }
        return Math.log(sum);
    }
}
