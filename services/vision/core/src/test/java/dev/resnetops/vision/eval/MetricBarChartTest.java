package dev.resnetops.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricBarChartTest {

    @TempDir
    Path dir;

    @Test
    void drawsABarPerMetricAndRowAndLeavesMissingValuesOut() throws Exception {
        Path png = dir.resolve("result.png");
        new MetricBarChart().render("paper-ablation", List.of("baseline", "paper", "failed row"), List.of("top1", "top5"),
                new double[][] {{0.5, 0.9}, {0.6, 0.95}, {Double.NaN, Double.NaN}}, png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(3 * 130);
        // One bar per run with a value; the failed row has none, so two bars of each series colour.
        List<Bar> top1 = bars(image, 0xE66E00);
        List<Bar> top5 = bars(image, 0x2CA02C);
        assertThat(top1).hasSize(2);
        assertThat(top5).hasSize(2);
        // Bars stand on one zero line and their heights are proportional to the values.
        assertThat(top1.get(0).bottom).isEqualTo(top5.get(1).bottom);
        double pixelsPerUnit = top1.get(0).height / 0.5;
        assertThat((double) top1.get(1).height).isCloseTo(0.6 * pixelsPerUnit, within(2.0));
        assertThat((double) top5.get(0).height).isCloseTo(0.9 * pixelsPerUnit, within(2.0));
        assertThat((double) top5.get(1).height).isCloseTo(0.95 * pixelsPerUnit, within(2.0));
        // Each run's top-1 bar stands left of its top-5 bar, and the runs keep their order.
        assertThat(top1.get(0).left).isLessThan(top5.get(0).left);
        assertThat(top5.get(0).left).isLessThan(top1.get(1).left);
        assertThat(Files.size(png)).isPositive();
    }

    @Test
    void runsWithTheSameLabelKeepTheirOwnBars() {
        BufferedImage image = new MetricBarChart().draw("t", List.of("same", "same"), List.of("top1"),
                new double[][] {{0.4}, {0.8}});

        List<Bar> bars = bars(image, 0xE66E00);
        assertThat(bars).hasSize(2);
        assertThat(bars.get(1).height).isCloseTo(2 * bars.get(0).height, within(2));
    }

    @Test
    void refusesARowWithTooFewValues() {
        assertThatThrownBy(() -> new MetricBarChart().draw("t", List.of("a"), List.of("top1", "top5"), new double[][] {{0.1}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected one value per metric (2) in row 0 (a), found 1");
    }

    /** A bar: its leftmost column, and the height and bottom of its tallest column. */
    private record Bar(int left, int height, int bottom) {
    }

    /**
     * The bars of one colour, left to right: runs of adjacent columns holding at least 20 pixels of
     * it (the legend's swatch is smaller).
     */
    private static List<Bar> bars(BufferedImage image, int rgb) {
        List<Bar> bars = new ArrayList<>();
        Bar current = null;
        for (int x = 0; x < image.getWidth(); x++) {
            int height = 0;
            int bottom = -1;
            for (int y = 0; y < image.getHeight(); y++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    height++;
                    bottom = y;
                }
            }
            if (height < 20) {
                current = null;
            } else if (current == null) {
                current = new Bar(x, height, bottom);
                bars.add(current);
            } else if (height > current.height) {
                current = new Bar(current.left, height, bottom);
                bars.set(bars.size() - 1, current);
            }
        }
        return bars;
    }

    @Test
    void refusesValuesThatDoNotMatchTheGroups() {
        assertThatThrownBy(() -> new MetricBarChart().draw("t", List.of("a", "b"), List.of("top1"), new double[][] {{0.1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one row of values per group (2)");
    }
}
