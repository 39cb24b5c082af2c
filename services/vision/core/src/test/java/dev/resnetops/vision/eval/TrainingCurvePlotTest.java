package dev.resnetops.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
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
    void epochAxisCountsWholeEpochsAndGivesASingleEpochRoomEitherSide() {
        JFreeChart chart = plot.chart(List.of(new EpochPoint(1, 2.3, 0.1, 0.31, 0.62)));
        chart.createBufferedImage(TrainingCurvePlot.WIDTH, TrainingCurvePlot.HEIGHT);

        NumberAxis epochs = (NumberAxis) chart.getXYPlot().getDomainAxis();
        assertThat(epochs.getLowerBound()).isLessThan(1.0);
        assertThat(epochs.getUpperBound()).isGreaterThan(1.0);
        double tick = epochs.getTickUnit().getSize();
        assertThat(tick).isGreaterThanOrEqualTo(1.0);
        assertThat(tick % 1.0).isZero();
    }

    @Test
    void aConstantSeriesGetsARangeAroundItsValueAndTheLearningRateNeverGoesBelowZero() {
        JFreeChart chart = plot.chart(List.of(new EpochPoint(1, 2.0, 0.0, null, null)));

        XYPlot loss = panel(chart, 0);
        assertThat(loss.getRangeAxis(0).getLowerBound()).isCloseTo(1.8, within(1e-9));
        assertThat(loss.getRangeAxis(0).getUpperBound()).isCloseTo(2.2, within(1e-9));
        assertThat(loss.getRangeAxis(1).getLowerBound()).isZero();
        assertThat(loss.getRangeAxis(1).getUpperBound()).isEqualTo(1.0);
    }

    @Test
    void learningRateAxisStartsAtZeroAndLossAxisFollowsTheLoss() {
        List<EpochPoint> points = new ArrayList<>();
        for (int epoch = 1; epoch <= 10; epoch++) {
            points.add(new EpochPoint(epoch, 3.0 - 0.1 * epoch, 0.05 + 0.005 * epoch, null, null));
        }

        XYPlot loss = panel(plot.chart(points), 0);

        assertThat(loss.getRangeAxis(1).getLowerBound()).isZero();
        assertThat(loss.getRangeAxis(0).getLowerBound()).isGreaterThan(1.5);
    }

    @Test
    void accuracyAxisStaysWithinZeroAndHundredPercent() {
        List<EpochPoint> points = List.of(new EpochPoint(1, 1.0, 0.1, 0.0, 0.9),
                new EpochPoint(2, 0.5, 0.1, 0.5, 1.0));

        ValueAxis percent = panel(plot.chart(points), 1).getRangeAxis();

        assertThat(percent.getLowerBound()).isZero();
        assertThat(percent.getUpperBound()).isEqualTo(100.0);
    }

    @Test
    void accuracyAxisLeavesHeadroomAroundTheValidatedValues() {
        List<EpochPoint> points = List.of(new EpochPoint(1, 1.0, 0.1, 0.70, 0.90),
                new EpochPoint(2, 0.5, 0.1, 0.80, 0.95));

        ValueAxis percent = panel(plot.chart(points), 1).getRangeAxis();

        assertThat(percent.getLowerBound()).isCloseTo(68.75, within(1e-9));
        assertThat(percent.getUpperBound()).isCloseTo(96.25, within(1e-9));
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

    private static XYPlot panel(JFreeChart chart, int index) {
        return ((CombinedDomainXYPlot) chart.getXYPlot()).getSubplots().get(index);
    }

    @Test
    void epochPointRejectsAccuracyGivenInPercent() {
        assertThatThrownBy(() -> new EpochPoint(3, 1.0, 0.1, 76.1, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected valTop1 as a fraction in [0, 1] or null, found 76.1 at epoch 3");
    }
}
