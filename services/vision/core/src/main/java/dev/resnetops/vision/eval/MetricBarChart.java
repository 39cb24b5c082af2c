package dev.resnetops.vision.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Renders metrics of several runs side by side as a PNG: one group of bars per run (an ablation row, a
 * sweep point), one bar per metric, in percent with the value on top. The y-axis starts at zero on
 * purpose: a cropped axis makes a 0.3-point difference look like a doubling.
 */
public final class MetricBarChart {

    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 70;
    private static final int PLOT_HEIGHT = 380;
    private static final int LABEL_SPACE = 190;
    private static final int GROUP_WIDTH = 130;
    private static final Color TEXT = new Color(33, 33, 33);
    private static final Color GRID = new Color(230, 230, 230);
    private static final Color[] SERIES = {new Color(230, 110, 0), new Color(44, 160, 44), new Color(31, 119, 180),
        new Color(148, 103, 189)};

    private final Font titleFont = PlotDrawing.sans(Font.BOLD, 18f);
    private final Font labelFont = PlotDrawing.sans(Font.PLAIN, 12f);

    /**
     * @param groups  one label per group (run)
     * @param metrics one name per bar of a group
     * @param values  {@code values[group][metric]} as fractions in [0, 1]; NaN draws no bar (no value)
     */
    public void render(String title, List<String> groups, List<String> metrics, double[][] values, Path png)
            throws IOException {
        AtomicFiles.writePng(png, draw(title, groups, metrics, values));
    }

    public BufferedImage draw(String title, List<String> groups, List<String> metrics, double[][] values) {
        if (groups.isEmpty() || metrics.isEmpty() || values.length != groups.size()) {
            throw new IllegalArgumentException("expected one row of values per group (" + groups.size()
                    + ") and at least one metric, found " + values.length + " rows and " + metrics.size() + " metrics");
        }
        int width = LEFT + RIGHT + GROUP_WIDTH * groups.size();
        BufferedImage image = new BufferedImage(Math.max(width, 480), TOP + PLOT_HEIGHT + LABEL_SPACE,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = PlotDrawing.begin(image);
        try {
            g.setColor(TEXT);
            g.setFont(titleFont);
            PlotDrawing.drawCentered(g, title, image.getWidth() / 2.0, 24);
            drawAxis(g, width);
            drawLegend(g, metrics);
            double barWidth = (GROUP_WIDTH - 30) / (double) metrics.size();
            for (int group = 0; group < groups.size(); group++) {
                double x0 = LEFT + group * GROUP_WIDTH + 15;
                for (int metric = 0; metric < metrics.size(); metric++) {
                    double value = values[group][metric];
                    if (Double.isNaN(value)) {
                        continue;
                    }
                    double height = PLOT_HEIGHT * Math.max(0, Math.min(1, value));
                    double x = x0 + metric * barWidth;
                    g.setColor(SERIES[metric % SERIES.length]);
                    g.fill(new Rectangle2D.Double(x, TOP + PLOT_HEIGHT - height, barWidth - 3, height));
                    g.setColor(TEXT);
                    g.setFont(labelFont.deriveFont(10f));
                    PlotDrawing.drawCentered(g, String.format(Locale.ROOT, "%.1f", 100 * value), x + barWidth / 2,
                            TOP + PLOT_HEIGHT - height - 8);
                }
                g.setFont(labelFont);
                PlotDrawing.drawEndingAt(g, groups.get(group), x0 + (GROUP_WIDTH - 30) / 2.0, TOP + PLOT_HEIGHT + 12,
                        Math.PI / 6);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private void drawAxis(Graphics2D g, int width) {
        g.setFont(labelFont);
        for (int percent = 0; percent <= 100; percent += 20) {
            double y = TOP + PLOT_HEIGHT - PLOT_HEIGHT * percent / 100.0;
            g.setColor(GRID);
            g.drawLine(LEFT, (int) y, width - RIGHT, (int) y);
            g.setColor(TEXT);
            PlotDrawing.drawRightAligned(g, percent + "%", LEFT - 8, y);
        }
        PlotDrawing.drawVertical(g, "test accuracy", 20, TOP + PLOT_HEIGHT / 2.0);
    }

    private void drawLegend(Graphics2D g, List<String> metrics) {
        g.setFont(labelFont);
        int x = LEFT;
        for (int metric = 0; metric < metrics.size(); metric++) {
            g.setColor(SERIES[metric % SERIES.length]);
            g.fillRect(x, 44, 14, 14);
            g.setColor(TEXT);
            PlotDrawing.drawLeftAligned(g, metrics.get(metric), x + 20, 51);
            x += 30 + g.getFontMetrics().stringWidth(metrics.get(metric));
        }
    }
}
