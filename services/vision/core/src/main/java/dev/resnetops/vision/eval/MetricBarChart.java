package dev.resnetops.vision.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Renders metrics of several runs side by side as a PNG: one group of bars per run (an ablation row, a
 * sweep point), one bar per metric, in percent with the value on top. The y-axis starts at zero on
 * purpose: a cropped axis makes a 0.3-point difference look like a doubling. Drawn by JFreeChart's
 * {@link BarRenderer}.
 */
public final class MetricBarChart {

    private static final int GROUP_WIDTH = 130;
    private static final int MARGINS = 110;
    private static final int MIN_WIDTH = 480;
    private static final int HEIGHT = 640;
    /** Room above 100 % for the value printed on top of a full-height bar. */
    private static final double AXIS_TOP = 106;
    private static final Color[] SERIES = {new Color(230, 110, 0), new Color(44, 160, 44), new Color(31, 119, 180),
        new Color(148, 103, 189)};

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
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (int group = 0; group < groups.size(); group++) {
            if (values[group].length != metrics.size()) {
                throw new IllegalArgumentException("expected one value per metric (" + metrics.size() + ") in row "
                        + group + " (" + groups.get(group) + "), found " + values[group].length);
            }
            for (int metric = 0; metric < metrics.size(); metric++) {
                double value = values[group][metric];
                // A null value is a gap: no bar and no label, while the group keeps its place on the axis.
                dataset.addValue(Double.isNaN(value) ? null : 100 * value, new Label(metric, metrics.get(metric)),
                        new Label(group, groups.get(group)));
            }
        }
        int width = Math.max(MIN_WIDTH, MARGINS + GROUP_WIDTH * groups.size());
        return chart(title, dataset).createBufferedImage(width, HEIGHT, BufferedImage.TYPE_INT_RGB, null);
    }

    private static JFreeChart chart(String title, DefaultCategoryDataset dataset) {
        CategoryAxis runs = new CategoryAxis(null);
        runs.setCategoryLabelPositions(CategoryLabelPositions.createUpRotationLabelPositions(Math.PI / 6));
        runs.setCategoryMargin(0.25);
        NumberAxis accuracy = new NumberAxis("test accuracy");
        accuracy.setRange(0, AXIS_TOP);
        accuracy.setTickUnit(new NumberTickUnit(20, new DecimalFormat("0'%'", DecimalFormatSymbols.getInstance(Locale.ROOT))));
        BarRenderer bars = new BarRenderer();
        bars.setItemMargin(0.04);
        for (int series = 0; series < dataset.getRowCount(); series++) {
            bars.setSeriesPaint(series, SERIES[series % SERIES.length]);
        }
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT))));
        bars.setDefaultItemLabelsVisible(true);
        CategoryPlot plot = new CategoryPlot(dataset, runs, accuracy, bars);
        plot.setDomainGridlinesVisible(false);

        JFreeChart chart = ReportChartTheme.chart(title, plot, true);
        bars.setDefaultItemLabelFont(ReportChartTheme.sans(Font.PLAIN, 10f));
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.TOP);
        legend.setHorizontalAlignment(HorizontalAlignment.LEFT);
        legend.setFrame(BlockBorder.NONE);
        return chart;
    }

    /**
     * A dataset key: the dataset identifies rows and columns by key, so two runs with the same label
     * would otherwise share one group of bars. The label is what the axis and legend print.
     */
    private record Label(int index, String text) implements Comparable<Label> {

        @Override
        public int compareTo(Label other) {
            return Integer.compare(index, other.index);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
