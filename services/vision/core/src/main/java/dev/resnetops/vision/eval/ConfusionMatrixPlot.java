package dev.resnetops.vision.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.font.FontRenderContext;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYDataImageAnnotation;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.general.DefaultHeatMapDataset;
import org.jfree.data.general.HeatMapUtils;

/**
 * Renders a confusion matrix as a PNG meant to be read by a person.
 *
 * <p>Cells are coloured by their share of the true class's samples (row-normalised), so a rare
 * class's mistakes are as visible as a frequent one's; the raw count is printed in the cell when
 * it fits. The layout adapts to the number of classes: up to about 20 classes every cell carries
 * its count and the names are at full size; around 100 the counts are left out and the names
 * shrink; beyond roughly 150 the names become unreadable and are replaced by class-index ticks;
 * beyond {@value #MAX_MATRIX_SIDE} classes each pixel shows the largest share in a
 * square of cells, so that even ImageNet-21k fits in a bounded image.
 *
 * <p>Drawn by JFreeChart: the cells as a heat-map image ({@link HeatMapUtils} over a
 * {@link DefaultHeatMapDataset}, placed by an {@link XYDataImageAnnotation}), the names on
 * {@link SymbolAxis} axes, the colour bar by a {@link PaintScaleLegend}, counts and borders as
 * annotations. (Its {@code XYBlockRenderer} was tried first: it outlines every block to hide
 * antialiasing seams, and with one-pixel blocks those outlines paint over the neighbours, so a
 * perfect diagonal of 1500 classes came out with gaps.) Our own code is what the library has no
 * notion of: the colour scale (ColorBrewer "Blues" interpolated, white at zero), square cells
 * (JFreeChart gives the plot whatever the axes and titles leave over, so the chart is measured once
 * and then drawn at the size that leaves a square matrix), and the max-pooling of cells when there
 * are more classes than pixels. Names under the matrix turn vertical, not 45 degrees as a category
 * axis could, when they do not fit their column: numeric axes only rotate by 90 degrees.
 */
public final class ConfusionMatrixPlot {

    /** Largest side of the matrix area, in pixels. */
    static final int MAX_MATRIX_SIDE = 1000;
    /** Cells of at least this size up to 14 classes; fewer classes get bigger cells. */
    private static final int MIN_COMFORTABLE_CELL = 72;
    /** Smallest matrix side for very few classes, so a 2-class plot is not a postage stamp. */
    private static final int MIN_MATRIX_SIDE = 360;
    private static final int MAX_LABEL_CHARS = 28;
    /** Below this cell size, borders between cells would hide the cells. */
    private static final int MIN_CELL_FOR_GRID = 16;
    private static final int COLOUR_BAR_GAP = 24;
    private static final Color ZERO_COUNT = new Color(175, 175, 175);
    private static final BasicStroke BORDER = new BasicStroke(1f);
    private static final FontRenderContext MEASURE = new FontRenderContext(null, true, true);

    /**
     * Sequential white-to-dark-blue scale (ColorBrewer "Blues", with pure white at zero so that
     * cells without any sample stay blank).
     */
    private static final Color[] SCALE = {
        new Color(0xffffff), new Color(0xdeebf7), new Color(0xc6dbef), new Color(0x9ecae1),
        new Color(0x6baed6), new Color(0x4292c6), new Color(0x2171b5), new Color(0x08519c),
        new Color(0x08306b),
    };

    private static final PaintScale SHARE_SCALE = new PaintScale() {
        @Override
        public double getLowerBound() {
            return 0.0;
        }

        @Override
        public double getUpperBound() {
            return 1.0;
        }

        @Override
        public Paint getPaint(double share) {
            return colour(share);
        }
    };

    /** The rendered image and where in it the matrix cells are. */
    record Rendered(BufferedImage image, Rectangle2D matrixArea) {
    }

    /** Renders the plot and writes it atomically as a PNG. */
    public void render(long[][] confusion, List<String> classNames, String title, Path png) throws IOException {
        AtomicFiles.writePng(png, draw(confusion, classNames, title));
    }

    /**
     * Renders the plot.
     *
     * @param confusion  square matrix, rows = true class, columns = predicted class
     * @param classNames one name per class, in index order
     * @param title      printed above the matrix
     */
    public BufferedImage draw(long[][] confusion, List<String> classNames, String title) {
        return rendered(confusion, classNames, title).image();
    }

    Rendered rendered(long[][] confusion, List<String> classNames, String title) {
        Objects.requireNonNull(title, "title");
        validate(confusion, classNames);
        Layout layout = new Layout(confusion, classNames);
        PaintScaleLegend colourBar = colourBar();
        JFreeChart chart = chart(confusion, classNames, title, layout, colourBar);

        // First pass on a 1x1 canvas: everything is clipped away, but the axes, titles and colour bar
        // are measured, and the space they take does not depend on the size of the matrix area.
        int guessWidth = layout.side + 600;
        int guessHeight = layout.side + 400;
        ChartRenderingInfo probe = new ChartRenderingInfo(null);
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            chart.draw(g, new Rectangle2D.Double(0, 0, guessWidth, guessHeight), probe);
        } finally {
            g.dispose();
        }
        Rectangle2D measured = probe.getPlotInfo().getDataArea();
        int width = (int) Math.round(guessWidth - measured.getWidth() + layout.side);
        int height = (int) Math.round(guessHeight - measured.getHeight() + layout.side);
        // The colour bar gets the plot's full height, axis labels included; trim it to the matrix's.
        Rectangle2D plotArea = probe.getPlotInfo().getPlotArea();
        colourBar.setMargin(new RectangleInsets(measured.getMinY() - plotArea.getMinY(), COLOUR_BAR_GAP,
                plotArea.getMaxY() - measured.getMaxY(), 8));

        ChartRenderingInfo info = new ChartRenderingInfo(null);
        BufferedImage image = chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, info);
        return new Rendered(image, info.getPlotInfo().getDataArea());
    }

    private static void validate(long[][] confusion, List<String> classNames) {
        Objects.requireNonNull(confusion, "confusion");
        Objects.requireNonNull(classNames, "classNames");
        int n = confusion.length;
        if (n == 0) {
            throw new IllegalArgumentException("expected a confusion matrix with at least one class, found 0");
        }
        if (classNames.size() != n) {
            throw new IllegalArgumentException("expected " + n + " class names (one per confusion row), found "
                    + classNames.size());
        }
        for (int row = 0; row < n; row++) {
            if (confusion[row] == null || confusion[row].length != n) {
                throw new IllegalArgumentException("expected a square confusion matrix of size " + n
                        + ", found row " + row + " of length " + (confusion[row] == null ? "null" : confusion[row].length));
            }
            for (int column = 0; column < n; column++) {
                if (confusion[row][column] < 0) {
                    throw new IllegalArgumentException("expected non-negative counts, found "
                            + confusion[row][column] + " at row " + row + ", column " + column);
                }
            }
            Objects.requireNonNull(classNames.get(row), "class name " + row);
        }
    }

    /** The colour of a row-normalised value in [0, 1]. */
    static Color colour(double fraction) {
        double clamped = Math.max(0.0, Math.min(1.0, fraction));
        double position = clamped * (SCALE.length - 1);
        int lower = Math.min((int) position, SCALE.length - 2);
        double t = position - lower;
        Color a = SCALE[lower];
        Color b = SCALE[lower + 1];
        return new Color(mix(a.getRed(), b.getRed(), t), mix(a.getGreen(), b.getGreen(), t),
                mix(a.getBlue(), b.getBlue(), t));
    }

    private static int mix(int from, int to, double t) {
        return (int) Math.round(from + (to - from) * t);
    }

    /** White text on dark cells, dark text on light ones; the switch is on perceived brightness. */
    static Color textColourOn(Color background) {
        double luma = 0.299 * background.getRed() + 0.587 * background.getGreen() + 0.114 * background.getBlue();
        return luma < 150 ? Color.WHITE : ReportChartTheme.TEXT;
    }

    private static double[] rowShares(long[] row) {
        long total = 0;
        for (long cell : row) {
            total += cell;
        }
        double[] shares = new double[row.length];
        for (int column = 0; column < row.length; column++) {
            shares[column] = total == 0 ? 0.0 : (double) row[column] / total;
        }
        return shares;
    }

    private static JFreeChart chart(long[][] confusion, List<String> classNames, String title, Layout layout,
            PaintScaleLegend colourBar) {
        int n = confusion.length;
        NumberAxis predicted = classAxis("Predicted class", classNames, layout);
        predicted.setVerticalTickLabels(layout.verticalNames);
        NumberAxis actual = classAxis("True class", classNames, layout);
        // Row 0 at the top, as a matrix is written.
        actual.setInverted(true);

        // No dataset and no renderer: the cells are one image in data coordinates, drawn first, then
        // the borders and counts on top of it, in the order they are added.
        XYPlot plot = new XYPlot(null, predicted, actual, null);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.addAnnotation(new XYDataImageAnnotation(cellImage(confusion, layout), -0.5, -0.5, n, n), false);
        if (layout.cell >= MIN_CELL_FOR_GRID) {
            // Light borders, so that runs of white (empty) cells can still be counted.
            for (int k = 1; k < n; k++) {
                plot.addAnnotation(new XYLineAnnotation(k - 0.5, -0.5, k - 0.5, n - 0.5, BORDER, ReportChartTheme.GRID),
                        false);
                plot.addAnnotation(new XYLineAnnotation(-0.5, k - 0.5, n - 0.5, k - 0.5, BORDER, ReportChartTheme.GRID),
                        false);
            }
        }
        if (layout.countFont != null) {
            addCounts(plot, confusion, layout.countFont);
        }

        JFreeChart chart = ReportChartTheme.chart(title, plot, false);
        if (!layout.showNames) {
            TextTitle note = new TextTitle(n + " classes: axes show class indices", ReportChartTheme.SMALL_FONT);
            note.setPaint(ReportChartTheme.TEXT);
            chart.addSubtitle(note);
        }
        chart.addSubtitle(colourBar);
        // Everything here is axis-aligned: antialiasing would only blur the cell borders.
        chart.setAntiAlias(false);
        // After the theme, which sets every axis in one tick font and offsets axes from the plot.
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        predicted.setTickLabelFont(layout.labelFont);
        actual.setTickLabelFont(layout.labelFont);
        return chart;
    }

    private static NumberAxis classAxis(String title, List<String> classNames, Layout layout) {
        NumberAxis axis;
        if (layout.showNames) {
            SymbolAxis names = new SymbolAxis(title, classNames.stream().map(ConfusionMatrixPlot::shorten)
                    .toArray(String[]::new));
            names.setGridBandsVisible(false);
            // Every name; SymbolAxis itself leaves out a label that would overlap its neighbour.
            names.setTickUnit(new NumberTickUnit(1));
            axis = names;
        } else {
            axis = new NumberAxis(title);
            axis.setStandardTickUnits(ReportChartTheme.integerTicks());
        }
        axis.setRange(-0.5, classNames.size() - 0.5);
        return axis;
    }

    /**
     * One pixel per cell, or, with more classes than {@value #MAX_MATRIX_SIDE}, one per square of
     * cells holding their largest share; the plot scales it up to the matrix area without smoothing.
     * The maximum rather than the mean, because a mean over a square that holds one diagonal cell and
     * several empty ones would fade a perfect diagonal to near white.
     */
    private static BufferedImage cellImage(long[][] confusion, Layout layout) {
        int n = confusion.length;
        int perSide = layout.pixelsPerSide;
        DefaultHeatMapDataset largest = new DefaultHeatMapDataset(perSide, perSide, 0, n, 0, n);
        for (int row = 0; row < n; row++) {
            double[] shares = rowShares(confusion[row]);
            // HeatMapUtils writes y index 0 as the image's bottom row (a y axis pointing up); row 0
            // belongs at the top.
            int y = perSide - 1 - (int) ((long) row * perSide / n);
            for (int column = 0; column < n; column++) {
                int x = (int) ((long) column * perSide / n);
                largest.setZValue(x, y, Math.max(largest.getZValue(x, y), shares[column]), false);
            }
        }
        return HeatMapUtils.createHeatMapImage(largest, SHARE_SCALE);
    }

    private static void addCounts(XYPlot plot, long[][] confusion, Font font) {
        for (int row = 0; row < confusion.length; row++) {
            double[] shares = rowShares(confusion[row]);
            for (int column = 0; column < confusion.length; column++) {
                long count = confusion[row][column];
                XYTextAnnotation text = new XYTextAnnotation(Long.toString(count), column, row);
                text.setFont(font);
                // Zeros in grey: they are most of a good matrix and should not compete with errors.
                text.setPaint(count == 0 ? ZERO_COUNT : textColourOn(colour(shares[column])));
                plot.addAnnotation(text, false);
            }
        }
    }

    private static PaintScaleLegend colourBar() {
        NumberAxis share = new NumberAxis("Share of the true class");
        share.setRange(0.0, 1.0);
        share.setTickUnit(new NumberTickUnit(0.25, new DecimalFormat("0%", DecimalFormatSymbols.getInstance(Locale.ROOT))));
        share.setLabelFont(ReportChartTheme.AXIS_LABEL_FONT);
        share.setTickLabelFont(ReportChartTheme.SMALL_FONT);
        PaintScaleLegend bar = new PaintScaleLegend(SHARE_SCALE, share);
        bar.setPosition(RectangleEdge.RIGHT);
        bar.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        bar.setStripWidth(18);
        bar.setStripOutlineVisible(true);
        bar.setStripOutlinePaint(Color.GRAY);
        bar.setSubdivisionCount(256);
        bar.setMargin(new RectangleInsets(0, COLOUR_BAR_GAP, 0, 8));
        return bar;
    }

    private static String shorten(String name) {
        return name.length() <= MAX_LABEL_CHARS ? name : name.substring(0, MAX_LABEL_CHARS - 1) + "\u2026";
    }

    private static double width(Font font, String text) {
        return font.getStringBounds(text, MEASURE).getWidth();
    }

    /** The sizes that follow from the class count, decided before the chart is built. */
    private static final class Layout {
        final int side;
        final double cell;
        final int pixelsPerSide;
        final boolean showNames;
        final Font labelFont;
        final boolean verticalNames;
        final Font countFont;

        Layout(long[][] confusion, List<String> classNames) {
            int n = confusion.length;
            if (n <= MAX_MATRIX_SIDE) {
                cell = Math.max(1, Math.min(MAX_MATRIX_SIDE / n, Math.max(MIN_COMFORTABLE_CELL, MIN_MATRIX_SIDE / n)));
                side = (int) cell * n;
                pixelsPerSide = n;
            } else {
                side = MAX_MATRIX_SIDE;
                cell = (double) side / n;
                pixelsPerSide = MAX_MATRIX_SIDE;
            }

            // Names are legible down to about 6 px; below that, index ticks say more.
            float labelSize = (float) Math.min(14.0, Math.floor(cell * 0.85));
            showNames = labelSize >= 6f;
            labelFont = showNames ? ReportChartTheme.sans(Font.PLAIN, labelSize) : ReportChartTheme.SMALL_FONT;
            double widestName = 0;
            if (showNames) {
                for (String name : classNames) {
                    widestName = Math.max(widestName, width(labelFont, shorten(name)));
                }
            }
            // Names under their column while they fit, else read bottom to top.
            verticalNames = showNames && widestName > cell - 4;
            countFont = showNames ? countFontFor(confusion, cell) : null;
        }

        /** The largest font up to 14 px in which the widest count fits its cell, or null if < 8 px. */
        private static Font countFontFor(long[][] confusion, double cell) {
            if (cell < 20) {
                return null;
            }
            long max = 0;
            for (long[] row : confusion) {
                for (long count : row) {
                    max = Math.max(max, count);
                }
            }
            String widest = Long.toString(max);
            for (float size = (float) Math.min(14.0, Math.floor(cell * 0.4)); size >= 8f; size -= 1f) {
                Font font = ReportChartTheme.sans(Font.PLAIN, size);
                if (width(font, widest) <= cell - 4) {
                    return font;
                }
            }
            return null;
        }
    }
}
