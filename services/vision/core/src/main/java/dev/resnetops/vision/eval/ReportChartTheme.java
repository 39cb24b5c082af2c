package dev.resnetops.vision.eval;

import java.awt.Color;
import java.awt.Font;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.annotations.XYAnnotation;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.NumberTickUnitSource;
import org.jfree.chart.axis.TickUnitSource;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.renderer.AbstractRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.RectangleInsets;

/**
 * The look shared by the report charts: white canvas, light grid, dark text, flat bars, and the
 * "SansSerif" logical font, which maps to an installed face even on a headless server (JFreeChart's
 * default, Tahoma, is rarely installed on Linux).
 *
 * <p>Unlike {@link StandardChartTheme} it leaves series colours and text annotations alone: each
 * chart picks those for meaning (Top-1 is the same orange in every chart, a count on a dark cell is
 * white), and the stock theme would reset them to its palette.
 */
final class ReportChartTheme extends StandardChartTheme {

    static final Color TEXT = new Color(33, 33, 33);
    /** Cell borders and the like: solid lines, so they can be light. */
    static final Color GRID = new Color(225, 225, 225);
    /** JFreeChart's gridlines are thin and dashed; at the lighter grey they all but vanish. */
    private static final Color GRIDLINE = new Color(200, 200, 200);
    static final Font TITLE_FONT = sans(Font.BOLD, 20f);
    static final Font AXIS_LABEL_FONT = sans(Font.BOLD, 14f);
    static final Font TICK_FONT = sans(Font.PLAIN, 12f);
    static final Font SMALL_FONT = sans(Font.PLAIN, 11f);

    private static final ReportChartTheme INSTANCE = new ReportChartTheme();

    private ReportChartTheme() {
        super("resnetops report");
        setExtraLargeFont(TITLE_FONT);
        setLargeFont(AXIS_LABEL_FONT);
        setRegularFont(TICK_FONT);
        setSmallFont(SMALL_FONT);
        setTitlePaint(TEXT);
        setSubtitlePaint(TEXT);
        setAxisLabelPaint(TEXT);
        setTickLabelPaint(TEXT);
        setItemLabelPaint(TEXT);
        setLegendItemPaint(TEXT);
        setChartBackgroundPaint(Color.WHITE);
        setPlotBackgroundPaint(Color.WHITE);
        setLegendBackgroundPaint(Color.WHITE);
        setPlotOutlinePaint(Color.GRAY);
        setDomainGridlinePaint(GRIDLINE);
        setRangeGridlinePaint(GRIDLINE);
        setBarPainter(new StandardBarPainter());
        setXYBarPainter(new StandardXYBarPainter());
        setShadowVisible(false);
    }

    /** A chart around {@code plot} in this look; chart-specific fonts and colours are set after this. */
    static JFreeChart chart(String title, Plot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, legend);
        INSTANCE.apply(chart);
        chart.setPadding(new RectangleInsets(10, 10, 10, 10));
        // Java2D's default for an image is whatever the platform picks, which is often jagged text.
        chart.setTextAntiAlias(true);
        return chart;
    }

    /** Whole numbers without grouping separators (class 1000, epoch 1200), in any locale. */
    static TickUnitSource integerTicks() {
        return new NumberTickUnitSource(true, new DecimalFormat("0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
    }

    static Font sans(int style, float size) {
        return new Font(Font.SANS_SERIF, style, 12).deriveFont(size);
    }

    @Override
    protected void applyToAbstractRenderer(AbstractRenderer renderer) {
        // Keep the series paints and strokes the chart chose.
    }

    @Override
    protected void applyToXYAnnotation(XYAnnotation annotation) {
        // Text annotations keep their own font and colour; a legend placed inside a plot is themed
        // like any other legend.
        if (annotation instanceof XYTitleAnnotation) {
            Title title = ((XYTitleAnnotation) annotation).getTitle();
            applyToTitle(title);
        }
    }
}
