package dev.resnetops.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
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
        // Inside the first bar (top1 of baseline, half the plot height) the pixel is the series colour.
        assertThat(image.getRGB(80 + 15 + 10, 70 + 380 - 50) & 0xFFFFFF).isEqualTo(0xE66E00);
        // Where the failed row's bar would be, the canvas is white.
        assertThat(image.getRGB(80 + 2 * 130 + 25, 70 + 380 - 5) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(Files.size(png)).isPositive();
    }

    @Test
    void refusesValuesThatDoNotMatchTheGroups() {
        assertThatThrownBy(() -> new MetricBarChart().draw("t", List.of("a", "b"), List.of("top1"), new double[][] {{0.1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one row of values per group (2)");
    }
}
