package dev.resnetops.vision.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Renders per-epoch training curves as a PNG with two panels sharing the epoch axis: training
 * loss with the learning rate on a secondary axis (a loss plateau or spike usually lines up with
 * a schedule step), and validation Top-1/Top-5 accuracy in percent.
 *
 * <p>Epochs without validation (null) are skipped and their neighbours joined, since validating
 * every few epochs is normal. A non-finite training loss is skipped too, so a run that diverged
 * can still be plotted up to the point where it did.
 */
public final class TrainingCurvePlot {

    static final int WIDTH = 1100;
    static final int HEIGHT = 860;
    /** Up to this many epochs each point gets a marker; beyond, markers would merge into a line. */
    private static final int MAX_MARKED_POINTS = 40;
    private static final int LEFT = 95;
    private static final int RIGHT = 110;
    private static final int TOP = 64;
    private static final int PANEL_HEIGHT = 300;
    private static final int PANEL_GAP = 96;

    private static final Color TEXT = new Color(33, 33, 33);
    private static final Color GRID = new Color(230, 230, 230);
    private static final Color LOSS = new Color(31, 119, 180);
    private static final Color LEARNING_RATE = new Color(127, 127, 127);
    private static final Color TOP1 = new Color(230, 110, 0);
    private static final Color TOP5 = new Color(44, 160, 44);
    private static final Stroke SOLID = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final Stroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            10f, new float[] {7f, 5f}, 0f);

    private final Font titleFont = PlotDrawing.sans(Font.BOLD, 20f);
    private final Font panelFont = PlotDrawing.sans(Font.BOLD, 15f);
    private final Font axisFont = PlotDrawing.sans(Font.PLAIN, 14f);
    private final Font tickFont = PlotDrawing.sans(Font.PLAIN, 12f);

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
        validate(points);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = PlotDrawing.begin(image);
        try {
            g.setColor(TEXT);
            g.setFont(titleFont);
            PlotDrawing.drawCentered(g, "Training curves (" + points.size()
                    + (points.size() == 1 ? " epoch)" : " epochs)"), WIDTH / 2.0, 30);

            AxisScale epochs = AxisScale.covering(points.get(0).epoch(), points.get(points.size() - 1).epoch(),
                    10, true);
            Rectangle2D lossPanel = new Rectangle2D.Double(LEFT, TOP, WIDTH - LEFT - RIGHT, PANEL_HEIGHT);
            Rectangle2D accuracyPanel = new Rectangle2D.Double(LEFT, TOP + PANEL_HEIGHT + PANEL_GAP,
                    WIDTH - LEFT - RIGHT, PANEL_HEIGHT);
            drawLossPanel(g, lossPanel, epochs, points);
            drawAccuracyPanel(g, accuracyPanel, epochs, points);
        } finally {
            g.dispose();
        }
        return image;
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

    private void drawLossPanel(Graphics2D g, Rectangle2D panel, AxisScale epochs, List<EpochPoint> points) {
        List<double[]> loss = series(points, p -> p.trainLoss());
        List<double[]> learningRate = series(points, p -> p.learningRate());
        AxisScale lossAxis = loss.isEmpty() ? AxisScale.covering(0, 1, 5, false) : rangeOf(loss);
        AxisScale lrAxis = rangeOf(learningRate).clippedTo(0, Double.POSITIVE_INFINITY);

        drawFrame(g, panel, epochs, lossAxis, "Training loss", "Loss");
        drawRightAxis(g, panel, lrAxis, "Learning rate");
        drawSeries(g, panel, epochs, lrAxis, learningRate, LEARNING_RATE, DASHED, points.size());
        drawSeries(g, panel, epochs, lossAxis, loss, LOSS, SOLID, points.size());
        if (loss.isEmpty()) {
            noData(g, panel, "No finite training loss recorded");
        }
        drawLegend(g, panel, true, List.of("Train loss", "Learning rate (right axis)"),
                List.of(LOSS, LEARNING_RATE), List.of(SOLID, DASHED));
    }

    private void drawAccuracyPanel(Graphics2D g, Rectangle2D panel, AxisScale epochs, List<EpochPoint> points) {
        List<double[]> top1 = series(points, p -> p.valTop1() == null ? Double.NaN : 100.0 * p.valTop1());
        List<double[]> top5 = series(points, p -> p.valTop5() == null ? Double.NaN : 100.0 * p.valTop5());
        List<double[]> both = new ArrayList<>(top1);
        both.addAll(top5);
        AxisScale percent = both.isEmpty() ? AxisScale.covering(0, 100, 5, false)
                : rangeOf(both).clippedTo(0, 100);

        drawFrame(g, panel, epochs, percent, "Validation accuracy", "Accuracy (%)");
        g.setColor(TEXT);
        g.setFont(axisFont);
        PlotDrawing.drawCentered(g, "Epoch", panel.getCenterX(), panel.getMaxY() + 52);
        if (both.isEmpty()) {
            noData(g, panel, "No validation metrics recorded");
            return;
        }
        drawSeries(g, panel, epochs, percent, top5, TOP5, SOLID, points.size());
        drawSeries(g, panel, epochs, percent, top1, TOP1, SOLID, points.size());
        // Accuracy rises, so the lower right corner is the one that stays free.
        drawLegend(g, panel, false, List.of("Val top-1", "Val top-5"), List.of(TOP1, TOP5), List.of(SOLID, SOLID));
    }

    /** The (epoch, value) pairs whose value is finite. */
    private static List<double[]> series(List<EpochPoint> points, Function<EpochPoint, Double> value) {
        List<double[]> series = new ArrayList<>(points.size());
        for (EpochPoint point : points) {
            double y = value.apply(point);
            if (Double.isFinite(y)) {
                series.add(new double[] {point.epoch(), y});
            }
        }
        return series;
    }

    private static AxisScale rangeOf(List<double[]> series) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (double[] point : series) {
            low = Math.min(low, point[1]);
            high = Math.max(high, point[1]);
        }
        // 5 % headroom so that extreme points do not sit on the frame, where they are hard to see.
        double margin = (high - low) * 0.05;
        return AxisScale.covering(low - margin, high + margin, 5, false);
    }

    private void drawFrame(Graphics2D g, Rectangle2D panel, AxisScale x, AxisScale y, String title, String yTitle) {
        g.setStroke(new BasicStroke(1f));
        g.setFont(tickFont);
        for (double tick : y.ticks()) {
            double py = y.toPixel(tick, panel.getMaxY(), panel.getMinY());
            g.setColor(GRID);
            g.draw(new Line2D.Double(panel.getMinX(), py, panel.getMaxX(), py));
            g.setColor(TEXT);
            g.draw(new Line2D.Double(panel.getMinX() - 5, py, panel.getMinX(), py));
            PlotDrawing.drawRightAligned(g, y.label(tick), panel.getMinX() - 8, py);
        }
        for (double tick : x.ticks()) {
            double px = x.toPixel(tick, panel.getMinX(), panel.getMaxX());
            g.setColor(GRID);
            g.draw(new Line2D.Double(px, panel.getMinY(), px, panel.getMaxY()));
            g.setColor(TEXT);
            g.draw(new Line2D.Double(px, panel.getMaxY(), px, panel.getMaxY() + 5));
            PlotDrawing.drawCentered(g, x.label(tick), px, panel.getMaxY() + 16);
        }
        g.setColor(Color.GRAY);
        g.draw(panel);
        g.setColor(TEXT);
        g.setFont(panelFont);
        PlotDrawing.drawLeftAligned(g, title, panel.getMinX(), panel.getMinY() - 14);
        g.setFont(axisFont);
        PlotDrawing.drawVertical(g, yTitle, 24, panel.getCenterY());
    }

    private void drawRightAxis(Graphics2D g, Rectangle2D panel, AxisScale axis, String title) {
        g.setColor(LEARNING_RATE);
        g.setStroke(new BasicStroke(1f));
        g.setFont(tickFont);
        for (double tick : axis.ticks()) {
            double py = axis.toPixel(tick, panel.getMaxY(), panel.getMinY());
            g.draw(new Line2D.Double(panel.getMaxX(), py, panel.getMaxX() + 5, py));
            PlotDrawing.drawLeftAligned(g, axis.label(tick), panel.getMaxX() + 8, py);
        }
        g.setFont(axisFont);
        PlotDrawing.drawVertical(g, title, WIDTH - 22, panel.getCenterY());
    }

    private static void drawSeries(Graphics2D g, Rectangle2D panel, AxisScale x, AxisScale y, List<double[]> series,
            Color colour, Stroke stroke, int epochs) {
        if (series.isEmpty()) {
            return;
        }
        Path2D line = new Path2D.Double();
        for (int i = 0; i < series.size(); i++) {
            double px = x.toPixel(series.get(i)[0], panel.getMinX(), panel.getMaxX());
            double py = y.toPixel(series.get(i)[1], panel.getMaxY(), panel.getMinY());
            if (i == 0) {
                line.moveTo(px, py);
            } else {
                line.lineTo(px, py);
            }
        }
        var savedClip = g.getClip();
        g.clip(new Rectangle2D.Double(panel.getX() - 5, panel.getY() - 5, panel.getWidth() + 10,
                panel.getHeight() + 10));
        g.setColor(colour);
        g.setStroke(stroke);
        g.draw(line);
        // A single point draws no line, so small runs always get markers.
        if (epochs <= MAX_MARKED_POINTS || series.size() == 1) {
            for (double[] point : series) {
                double px = x.toPixel(point[0], panel.getMinX(), panel.getMaxX());
                double py = y.toPixel(point[1], panel.getMaxY(), panel.getMinY());
                g.fill(new Ellipse2D.Double(px - 4, py - 4, 8, 8));
            }
        }
        g.setClip(savedClip);
    }

    private void drawLegend(Graphics2D g, Rectangle2D panel, boolean top, List<String> labels, List<Color> colours,
            List<Stroke> strokes) {
        g.setFont(tickFont);
        FontMetrics fm = g.getFontMetrics();
        int widest = 0;
        for (String label : labels) {
            widest = Math.max(widest, fm.stringWidth(label));
        }
        int rowHeight = fm.getHeight() + 4;
        double width = 12 + 30 + 8 + widest + 12;
        double height = 8 + rowHeight * labels.size() + 4;
        double x = panel.getMaxX() - width - 10;
        double y = top ? panel.getMinY() + 10 : panel.getMaxY() - height - 10;
        g.setColor(new Color(255, 255, 255, 225));
        g.fill(new Rectangle2D.Double(x, y, width, height));
        g.setColor(Color.LIGHT_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(x, y, width, height));
        for (int i = 0; i < labels.size(); i++) {
            double centreY = y + 8 + rowHeight * (i + 0.5);
            g.setColor(colours.get(i));
            g.setStroke(strokes.get(i));
            g.draw(new Line2D.Double(x + 12, centreY, x + 42, centreY));
            g.setColor(TEXT);
            PlotDrawing.drawLeftAligned(g, labels.get(i), x + 50, centreY);
        }
    }

    private void noData(Graphics2D g, Rectangle2D panel, String message) {
        g.setColor(Color.GRAY);
        g.setFont(axisFont);
        PlotDrawing.drawCentered(g, message, panel.getCenterX(), panel.getCenterY());
    }
}
