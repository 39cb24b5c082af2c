package dev.resnetops.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The services draw their report charts without a display; the build runs every test headless
 * (java.awt.headless=true, set for surefire in the parent pom), and this checks that it does and
 * that each chart renders there.
 */
class HeadlessRenderingTest {

    @Test
    void everyReportChartRendersWithoutADisplay() {
        assertThat(GraphicsEnvironment.isHeadless()).isTrue();

        BufferedImage curves = new TrainingCurvePlot().draw(List.of(new EpochPoint(1, 2.0, 0.1, 0.5, 0.8),
                new EpochPoint(2, 1.5, 0.05, 0.6, 0.9)));
        BufferedImage matrix = new ConfusionMatrixPlot().draw(new long[][] {{5, 1}, {2, 7}}, List.of("a", "b"), "t");
        BufferedImage bars = new MetricBarChart().draw("t", List.of("run"), List.of("top1"), new double[][] {{0.5}});

        for (BufferedImage image : List.of(curves, matrix, bars)) {
            assertThat(image.getWidth()).isPositive();
            assertThat(distinctColours(image)).as("a drawn chart, not a blank canvas").isGreaterThan(10);
        }
    }

    private static long distinctColours(BufferedImage image) {
        return IntStream.range(0, image.getWidth() * image.getHeight())
                .map(i -> image.getRGB(i % image.getWidth(), i / image.getWidth()))
                .distinct()
                .count();
    }
}
