package dev.resnetops.vision.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Renders per-epoch training curves as a PNG with two panels sharing the epoch axis: training
 * loss with the learning rate on a secondary axis (a loss plateau or spike usually lines up with
 * a schedule step), and validation Top-1/Top-5 accuracy in percent.
 *
 * <p>Epochs without validation (null) are skipped and their neighbours joined, since validating
 * every few epochs is normal. A non-finite training loss is skipped too, so a run that diverged
 * can still be plotted up to the point where it did.
 *
 * <p>Drawn by JFreeChart: the panels are a {@link CombinedDomainXYPlot}, and each panel's legend
 * sits inside it in the corner its curves leave free (upper right for the falling loss, lower
 * right for the rising accuracy).
 */
public final class TrainingCurvePlot {

    static final int WIDTH = 1100;
    static final int HEIGHT = 860;
    /** Up to this many epochs each point gets a marker; beyond, markers would merge into a line. */
    private static final int MAX_MARKED_POINTS = 40;

    private static final Color LOSS = new Color(31, 119, 180);
    private static final Color LEARNING_RATE = new Color(127, 127, 127);
    private static final Color TOP1 = new Color(230, 110, 0);
    private static final Color TOP5 = new Color(44, 160, 44);
    private static final Stroke SOLID = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final Stroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            10f, new float[] {7f, 5f}, 0f);

    /** Renders the curves and writes them atomically as a PNG. */
    public void render(List<EpochPoint> points, Path png) throws IOException {
        AtomicFiles.writePng(png, draw(points));
    }

    /**
     * Renders the curves.
     *
     * @param points at least one point, in strictly increasing epoch order
     */
    public BufferedImage draw(List<EpochPoint> points) {
        return chart(points).createBufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB, null);
    }

    /** The chart before rendering, so tests can read the axes it chose. */
    JFreeChart chart(List<EpochPoint> points) {
        validate(points);
        boolean marked = points.size() <= MAX_MARKED_POINTS;
        NumberAxis epochs = new NumberAxis("Epoch");
        epochs.setStandardTickUnits(ReportChartTheme.integerTicks());
        epochs.setAutoRangeIncludesZero(false);
        // A single epoch spans no range at all; JFreeChart would widen it by only 1e-8.
        epochs.setAutoRangeMinimumSize(2.0);
        CombinedDomainXYPlot panels = new CombinedDomainXYPlot(epochs);
        panels.setGap(36);
        XYPlot loss = lossPanel(points, marked);
        panels.add(loss);
        panels.add(accuracyPanel(points, marked));

        JFreeChart chart = ReportChartTheme.chart("Training curves (" + points.size()
                + (points.size() == 1 ? " epoch)" : " epochs)"), panels, false);
        // Grey like its dashed curve, so the right axis is read against the right line.
        NumberAxis rateAxis = (NumberAxis) loss.getRangeAxis(1);
        rateAxis.setLabelPaint(LEARNING_RATE);
        rateAxis.setTickLabelPaint(LEARNING_RATE);
        return chart;
    }

    private static void validate(List<EpochPoint> points) {
        Objects.requireNonNull(points, "points");
        if (points.isEmpty()) {
            throw new IllegalArgumentException("expected at least one epoch to plot, found 0");
        }
        for (int i = 0; i < points.size(); i++) {
            Objects.requireNonNull(points.get(i), "point " + i);
            if (i > 0 && points.get(i).epoch() <= points.get(i - 1).epoch()) {
                throw new IllegalArgumentException("expected strictly increasing epochs, found epoch "
                        + points.get(i).epoch() + " after epoch " + points.get(i - 1).epoch());
            }
        }
    }

    private static XYPlot lossPanel(List<EpochPoint> points, boolean marked) {
        XYSeries loss = series("Train loss", points, EpochPoint::trainLoss);
        NumberAxis lossAxis = new NumberAxis("Training loss");
        lossAxis.setAutoRangeIncludesZero(false);
        padConstant(lossAxis, loss, Double.NEGATIVE_INFINITY);
        XYPlot panel = new XYPlot(new XYSeriesCollection(loss), null, lossAxis, lines(marked, loss, LOSS, SOLID));

        XYSeries learningRate = series("Learning rate (right axis)", points, EpochPoint::learningRate);
        // Kept including zero (the NumberAxis default): a schedule decaying to zero is read against zero.
        NumberAxis rateAxis = new NumberAxis("Learning rate");
        padConstant(rateAxis, learningRate, 0.0);
        panel.setRangeAxis(1, rateAxis);
        panel.setDataset(1, new XYSeriesCollection(learningRate));
        panel.mapDatasetToRangeAxis(1, 1);
        panel.setRenderer(1, lines(marked, learningRate, LEARNING_RATE, DASHED));

        if (loss.isEmpty()) {
            // The learning rate is still drawn, so the plot's own no-data message would not show.
            TextTitle message = new TextTitle("No finite training loss recorded", ReportChartTheme.AXIS_LABEL_FONT);
            message.setPaint(Color.GRAY);
            panel.addAnnotation(new XYTitleAnnotation(0.5, 0.5, message));
        }
        panel.addAnnotation(legend(panel, 0.99, 0.98, RectangleAnchor.TOP_RIGHT));
        return panel;
    }

    private static XYPlot accuracyPanel(List<EpochPoint> points, boolean marked) {
        XYSeries top1 = series("Val top-1", points, p -> p.valTop1() == null ? Double.NaN : 100.0 * p.valTop1());
        XYSeries top5 = series("Val top-5", points, p -> p.valTop5() == null ? Double.NaN : 100.0 * p.valTop5());
        XYSeriesCollection accuracy = new XYSeriesCollection();
        accuracy.addSeries(top1);
        accuracy.addSeries(top5);
        XYLineAndShapeRenderer renderer = lines(marked, top1, TOP1, SOLID);
        style(renderer, 1, marked || top5.getItemCount() == 1, TOP5, SOLID);

        NumberAxis percent = new NumberAxis("Validation accuracy (%)");
        percent.setRange(percentRange(top1, top5));
        XYPlot panel = new XYPlot(accuracy, null, percent, renderer);
        panel.setNoDataMessage("No validation metrics recorded");
        panel.setNoDataMessageFont(ReportChartTheme.AXIS_LABEL_FONT);
        panel.setNoDataMessagePaint(Color.GRAY);
        if (!top1.isEmpty() || !top5.isEmpty()) {
            panel.addAnnotation(legend(panel, 0.99, 0.02, RectangleAnchor.BOTTOM_RIGHT));
        }
        return panel;
    }

    /** The values' range with 5 % headroom, so extreme points do not sit on the frame, kept within 0..100 %. */
    private static Range percentRange(XYSeries top1, XYSeries top5) {
        if (top1.isEmpty() && top5.isEmpty()) {
            return new Range(0, 100);
        }
        double low = Math.min(top1.isEmpty() ? Double.MAX_VALUE : top1.getMinY(),
                top5.isEmpty() ? Double.MAX_VALUE : top5.getMinY());
        double high = Math.max(top1.isEmpty() ? -Double.MAX_VALUE : top1.getMaxY(),
                top5.isEmpty() ? -Double.MAX_VALUE : top5.getMaxY());
        // At least one point of headroom, so a single value (or a constant run) still has a range.
        double margin = Math.max(1.0, (high - low) * 0.05);
        return new Range(Math.max(0, low - margin), Math.min(100, high + margin));
    }

    /**
     * A range for a series that is constant on {@code axis} (one epoch, a fixed learning rate): JFreeChart
     * would widen it by only 1e-8 and label the ticks in scientific notation. It gets ±10 % of its value
     * instead, or ±1 around zero, never below {@code floor}.
     */
    private static void padConstant(NumberAxis axis, XYSeries series, double floor) {
        if (series.isEmpty()) {
            return;
        }
        double low = series.getMinY();
        double high = series.getMaxY();
        if (axis.getAutoRangeIncludesZero()) {
            low = Math.min(low, 0.0);
            high = Math.max(high, 0.0);
        }
        if (low == high) {
            double margin = low == 0.0 ? 1.0 : Math.abs(low) * 0.1;
            axis.setRange(Math.max(floor, low - margin), high + margin);
        }
    }

    /** The (epoch, value) pairs whose value is finite; JFreeChart joins the points either side of a gap. */
    private static XYSeries series(String name, List<EpochPoint> points, Function<EpochPoint, Double> value) {
        XYSeries series = new XYSeries(name, false, false);
        for (EpochPoint point : points) {
            double y = value.apply(point);
            if (Double.isFinite(y)) {
                series.add(point.epoch(), y);
            }
        }
        return series;
    }

    private static XYLineAndShapeRenderer lines(boolean marked, XYSeries first, Color colour, Stroke stroke) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        style(renderer, 0, marked || first.getItemCount() == 1, colour, stroke);
        return renderer;
    }

    /** A single point draws no line, so a one-point series always gets its marker. */
    private static void style(XYLineAndShapeRenderer renderer, int series, boolean marked, Color colour,
            Stroke stroke) {
        renderer.setSeriesPaint(series, colour);
        renderer.setSeriesStroke(series, stroke);
        renderer.setSeriesShape(series, new Ellipse2D.Double(-4, -4, 8, 8));
        renderer.setSeriesShapesVisible(series, marked);
    }

    private static XYTitleAnnotation legend(XYPlot panel, double x, double y, RectangleAnchor anchor) {
        LegendTitle legend = new LegendTitle(panel);
        legend.setFrame(new BlockBorder(Color.LIGHT_GRAY));
        legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 8));
        legend.setMargin(new RectangleInsets(4, 4, 4, 4));
        return new XYTitleAnnotation(x, y, legend, anchor);
    }
}
