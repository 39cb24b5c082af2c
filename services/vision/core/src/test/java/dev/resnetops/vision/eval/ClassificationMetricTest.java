package dev.resnetops.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClassificationMetricTest {

    @Test
    void keysAreStableSnakeCase() {
        assertThat(ClassificationMetric.TOP1.key()).isEqualTo("top1");
        assertThat(ClassificationMetric.TOP5.key()).isEqualTo("top5");
        assertThat(ClassificationMetric.LOSS.key()).isEqualTo("loss");
        for (ClassificationMetric metric : ClassificationMetric.values()) {
            assertThat(metric.key()).matches("[a-z0-9]+(_[a-z0-9]+)*");
            assertThat(ClassificationMetric.fromKey(metric.key())).isEqualTo(metric);
        }
    }

    @Test
    void unknownKeyNamesTheKeyAndTheAlternatives() {
        assertThatThrownBy(() -> ClassificationMetric.fromKey("top-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected one of the metric keys [count, top1, top5, loss, mean_class_accuracy],"
                        + " found \"top-1\"");
    }
}
