package dev.resnetops.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvePlotTest {

    @TempDir
    Path dir;

    private final TrainingCurvePlot plot = new TrainingCurvePlot();

    @Test
    void rendersASingleEpoch() throws IOException {
        Path png = dir.resolve("curves.png");

        plot.render(List.of(new EpochPoint(1, 2.3, 0.1, 0.31, 0.62)), png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(TrainingCurvePlot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(TrainingCurvePlot.HEIGHT);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(png);
        }
    }

    @Test
    void rendersHundredEpochsWithSparseValidationAndADivergedLoss() {
        List<EpochPoint> points = new ArrayList<>();
        for (int epoch = 1; epoch <= 100; epoch++) {
            double loss = epoch > 95 ? Double.NaN : 7.0 * Math.exp(-epoch / 15.0) + 1.0;
            Double top1 = epoch % 5 == 0 ? Math.min(1.0, 0.4 + epoch / 300.0) : null;
            Double top5 = top1 == null ? null : Math.min(1.0, top1 + 0.15);
            points.add(new EpochPoint(epoch, loss, 0.1 * (1 + Math.cos(Math.PI * epoch / 100)) / 2, top1, top5));
        }

        BufferedImage image = plot.draw(points);

        assertThat(image.getWidth()).isEqualTo(TrainingCurvePlot.WIDTH);
    }

    @Test
    void rendersARunThatWasNeverValidated() {
        BufferedImage image = plot.draw(List.of(new EpochPoint(0, 2.0, 0.0, null, null),
                new EpochPoint(1, 1.5, 0.0, null, null)));

        assertThat(image.getHeight()).isEqualTo(TrainingCurvePlot.HEIGHT);
    }

    @Test
    void rejectsEpochsOutOfOrder() {
        List<EpochPoint> points = List.of(new EpochPoint(5, 1.0, 0.1, null, null),
                new EpochPoint(3, 1.0, 0.1, null, null));

        assertThatThrownBy(() -> plot.draw(points))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected strictly increasing epochs, found epoch 3 after epoch 5");
    }

    @Test
    void rejectsAnEmptyRun() {
        assertThatThrownBy(() -> plot.draw(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected at least one epoch to plot, found 0");
    }

    @Test
    void epochPointRejectsAccuracyGivenInPercent() {
        assertThatThrownBy(() -> new EpochPoint(3, 1.0, 0.1, 76.1, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected valTop1 as a fraction in [0, 1] or null, found 76.1 at epoch 3");
    }
}
