package dev.resnetops.vision.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Renders a confusion matrix as a PNG meant to be read by a person.
 *
 * <p>Cells are coloured by their share of the true class's samples (row-normalised), so a rare
 * class's mistakes are as visible as a frequent one's; the raw count is printed in the cell when
 * it fits. The layout adapts to the number of classes: up to about 20 classes every cell carries
 * its count and the names are at full size; around 100 the counts are left out and the names
 * shrink; beyond roughly 150 the names become unreadable and are replaced by class-index ticks;
 * beyond {@value #MAX_MATRIX_SIDE} classes each pixel averages a block of cells so that even
 * ImageNet-21k fits in a bounded image.
 */
public final class ConfusionMatrixPlot {

    /** Largest side of the matrix area, in pixels. */
    static final int MAX_MATRIX_SIDE = 1000;
    /** Cells of at least this size up to 14 classes; fewer classes get bigger cells. */
    private static final int MIN_COMFORTABLE_CELL = 72;
    /** Smallest matrix side for very few classes, so a 2-class plot is not a postage stamp. */
    private static final int MIN_MATRIX_SIDE = 360;
    private static final int MAX_LABEL_CHARS = 28;
    private static final int PAD = 20;
    private static final int COLOUR_BAR_WIDTH = 18;
    private static final Color TEXT = new Color(33, 33, 33);
    private static final Color GRID = new Color(225, 225, 225);
    private static final Color ZERO_COUNT = new Color(175, 175, 175);

    /**
     * Sequential white-to-dark-blue scale (ColorBrewer "Blues", with pure white at zero so that
     * cells without any sample stay blank).
     */
    private static final Color[] SCALE = {
        new Color(0xffffff), new Color(0xdeebf7), new Color(0xc6dbef), new Color(0x9ecae1),
        new Color(0x6baed6), new Color(0x4292c6), new Color(0x2171b5), new Color(0x08519c),
        new Color(0x08306b),
    };

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
        Objects.requireNonNull(title, "title");
        int n = validate(confusion, classNames);
        Layout layout = new Layout(confusion, classNames, title);
        BufferedImage image = new BufferedImage(layout.width, layout.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = PlotDrawing.begin(image);
        try {
            g.setColor(TEXT);
            g.setFont(layout.titleFont);
            PlotDrawing.drawCentered(g, title, layout.width / 2.0, PAD + layout.titleHeight / 2.0);
            if (!layout.showNames) {
                g.setFont(layout.tickFont);
                PlotDrawing.drawCentered(g, n + " classes: axes show class indices",
                        layout.width / 2.0, PAD + layout.titleHeight + layout.tickHeight / 2.0 + 2);
            }
            if (n <= MAX_MATRIX_SIDE) {
                drawCells(g, layout, confusion);
            } else {
                drawBinned(image, layout, confusion);
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f));
            g.draw(new Rectangle2D.Double(layout.matrixX - 0.5, layout.matrixY - 0.5, layout.side + 1,
                    layout.side + 1));
            if (layout.showNames) {
                drawNames(g, layout, classNames);
            } else {
                drawIndexTicks(g, layout, n);
            }
            drawAxisTitles(g, layout);
            drawColourBar(g, layout);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static int validate(long[][] confusion, List<String> classNames) {
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
        return n;
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
        return luma < 150 ? Color.WHITE : TEXT;
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

    private static void drawCells(Graphics2D g, Layout layout, long[][] confusion) {
        int n = confusion.length;
        int cell = (int) layout.cell;
        for (int row = 0; row < n; row++) {
            double[] shares = rowShares(confusion[row]);
            for (int column = 0; column < n; column++) {
                g.setColor(colour(shares[column]));
                g.fillRect(layout.matrixX + column * cell, layout.matrixY + row * cell, cell, cell);
            }
        }
        if (cell >= 16) {
            // Light grid so that runs of white (empty) cells can still be counted.
            g.setColor(GRID);
            g.setStroke(new BasicStroke(1f));
            for (int k = 1; k < n; k++) {
                g.drawLine(layout.matrixX + k * cell, layout.matrixY, layout.matrixX + k * cell,
                        layout.matrixY + layout.side);
                g.drawLine(layout.matrixX, layout.matrixY + k * cell, layout.matrixX + layout.side,
                        layout.matrixY + k * cell);
            }
        }
        if (layout.countFont == null) {
            return;
        }
        g.setFont(layout.countFont);
        for (int row = 0; row < n; row++) {
            double[] shares = rowShares(confusion[row]);
            for (int column = 0; column < n; column++) {
                long count = confusion[row][column];
                // Zeros in grey: they are most of a good matrix and should not compete with errors.
                g.setColor(count == 0 ? ZERO_COUNT : textColourOn(colour(shares[column])));
                PlotDrawing.drawCentered(g, Long.toString(count), layout.matrixX + (column + 0.5) * cell,
                        layout.matrixY + (row + 0.5) * cell);
            }
        }
    }

    /**
     * More classes than pixels: each pixel shows the largest row-normalised share in its block of
     * cells. The maximum rather than the mean, because a mean over a block that holds one diagonal
     * cell and several empty ones would fade a perfect diagonal to near white.
     */
    private static void drawBinned(BufferedImage image, Layout layout, long[][] confusion) {
        int n = confusion.length;
        int side = layout.side;
        double[][] largest = new double[side][side];
        for (int row = 0; row < n; row++) {
            double[] shares = rowShares(confusion[row]);
            int y = (int) ((long) row * side / n);
            for (int column = 0; column < n; column++) {
                int x = (int) ((long) column * side / n);
                largest[y][x] = Math.max(largest[y][x], shares[column]);
            }
        }
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(layout.matrixX + x, layout.matrixY + y, colour(largest[y][x]).getRGB());
            }
        }
    }

    private static void drawNames(Graphics2D g, Layout layout, List<String> classNames) {
        g.setColor(TEXT);
        g.setFont(layout.labelFont);
        int n = classNames.size();
        for (int k = 0; k < n; k++) {
            String label = shorten(classNames.get(k));
            double centre = (k + 0.5) * layout.cell;
            PlotDrawing.drawRightAligned(g, label, layout.matrixX - 6, layout.matrixY + centre);
            double x = layout.matrixX + centre;
            double y = layout.matrixY + layout.side + 6;
            if (layout.labelAngle == 0) {
                PlotDrawing.drawCentered(g, label, x, y + layout.labelHeight / 2.0);
            } else {
                PlotDrawing.drawEndingAt(g, label, x, y, layout.labelAngle);
            }
        }
    }

    private static void drawIndexTicks(Graphics2D g, Layout layout, int n) {
        g.setColor(TEXT);
        g.setFont(layout.tickFont);
        g.setStroke(new BasicStroke(1f));
        for (int k = 0; k < n; k += layout.tickStep) {
            double centre = (k + 0.5) * layout.cell;
            double x = layout.matrixX + centre;
            double bottom = layout.matrixY + layout.side;
            g.drawLine((int) x, (int) bottom, (int) x, (int) bottom + 4);
            PlotDrawing.drawCentered(g, Integer.toString(k), x, bottom + 6 + layout.tickHeight / 2.0);
            double y = layout.matrixY + centre;
            g.drawLine(layout.matrixX - 4, (int) y, layout.matrixX, (int) y);
            PlotDrawing.drawRightAligned(g, Integer.toString(k), layout.matrixX - 6, y);
        }
    }

    private static void drawAxisTitles(Graphics2D g, Layout layout) {
        g.setColor(TEXT);
        g.setFont(layout.axisFont);
        PlotDrawing.drawCentered(g, "Predicted class", layout.matrixX + layout.side / 2.0,
                layout.height - PAD - layout.axisHeight / 2.0);
        PlotDrawing.drawVertical(g, "True class", PAD + layout.axisHeight / 2.0,
                layout.matrixY + layout.side / 2.0);
    }

    private static void drawColourBar(Graphics2D g, Layout layout) {
        int x = layout.colourBarX;
        int top = layout.matrixY;
        int height = Math.max(layout.side, 120);
        for (int y = 0; y < height; y++) {
            g.setColor(colour(1.0 - (double) y / (height - 1)));
            g.fillRect(x, top + y, COLOUR_BAR_WIDTH, 1);
        }
        g.setColor(Color.GRAY);
        g.drawRect(x, top, COLOUR_BAR_WIDTH, height);
        g.setColor(TEXT);
        g.setFont(layout.tickFont);
        for (int percent = 0; percent <= 100; percent += 25) {
            double y = top + (1.0 - percent / 100.0) * height;
            g.drawLine(x + COLOUR_BAR_WIDTH, (int) y, x + COLOUR_BAR_WIDTH + 4, (int) y);
            PlotDrawing.drawLeftAligned(g, percent + "%", x + COLOUR_BAR_WIDTH + 7, y);
        }
        g.setFont(layout.axisFont);
        PlotDrawing.drawVertical(g, "Share of the true class", layout.colourBarCaptionX, top + height / 2.0);
    }

    private static String shorten(String name) {
        return name.length() <= MAX_LABEL_CHARS ? name : name.substring(0, MAX_LABEL_CHARS - 1) + "\u2026";
    }

    /** Every size and position, measured once before drawing. */
    private static final class Layout {
        final Font titleFont = PlotDrawing.sans(Font.BOLD, 20f);
        final Font axisFont = PlotDrawing.sans(Font.BOLD, 15f);
        final Font tickFont = PlotDrawing.sans(Font.PLAIN, 11f);
        final int titleHeight;
        final int axisHeight;
        final int tickHeight;
        final int side;
        final double cell;
        final boolean showNames;
        final Font labelFont;
        final int labelHeight;
        final double labelAngle;
        final int tickStep;
        final Font countFont;
        final int matrixX;
        final int matrixY;
        final int colourBarX;
        final double colourBarCaptionX;
        final int width;
        final int height;

        Layout(long[][] confusion, List<String> classNames, String title) {
            int n = confusion.length;
            if (n <= MAX_MATRIX_SIDE) {
                cell = Math.max(1, Math.min(MAX_MATRIX_SIDE / n, Math.max(MIN_COMFORTABLE_CELL, MIN_MATRIX_SIDE / n)));
                side = (int) cell * n;
            } else {
                side = MAX_MATRIX_SIDE;
                cell = (double) side / n;
            }
            FontMetrics titleMetrics = PlotDrawing.metrics(titleFont);
            FontMetrics axisMetrics = PlotDrawing.metrics(axisFont);
            FontMetrics tickMetrics = PlotDrawing.metrics(tickFont);
            titleHeight = titleMetrics.getHeight();
            axisHeight = axisMetrics.getHeight();
            tickHeight = tickMetrics.getHeight();

            // Names are legible down to about 6 px; below that, index ticks say more.
            float labelSize = (float) Math.min(14.0, Math.floor(cell * 0.85));
            showNames = labelSize >= 6f;
            labelFont = showNames ? PlotDrawing.sans(Font.PLAIN, labelSize) : tickFont;
            FontMetrics labelMetrics = PlotDrawing.metrics(labelFont);
            labelHeight = labelMetrics.getHeight();
            int maxLabelWidth = 0;
            if (showNames) {
                for (String name : classNames) {
                    maxLabelWidth = Math.max(maxLabelWidth, labelMetrics.stringWidth(shorten(name)));
                }
            } else {
                maxLabelWidth = tickMetrics.stringWidth(Integer.toString(n - 1));
            }
            tickStep = showNames ? 1 : niceStep(Math.ceil(48.0 / cell));

            // x labels: horizontal when they fit under their column, else 45 degrees while the
            // columns are wide enough to keep slanted labels apart, else vertical.
            double xLabelExtent;
            double xLabelOverhang;
            if (!showNames || maxLabelWidth <= cell - 4) {
                labelAngle = 0;
                xLabelExtent = (showNames ? labelHeight : tickHeight) + 4;
                xLabelOverhang = 0;
            } else if (cell >= 24) {
                labelAngle = Math.PI / 4;
                double diagonal = Math.sqrt(0.5);
                xLabelExtent = (maxLabelWidth + labelHeight) * diagonal;
                xLabelOverhang = maxLabelWidth * diagonal - cell / 2;
            } else {
                labelAngle = Math.PI / 2;
                xLabelExtent = maxLabelWidth + 2;
                xLabelOverhang = 0;
            }

            countFont = showNames ? countFontFor(confusion, cell) : null;

            int subtitle = showNames ? 0 : tickHeight + 4;
            matrixY = PAD + titleHeight + subtitle + 14;
            int yLabelArea = maxLabelWidth + 10;
            int contentX = (int) Math.ceil(Math.max(PAD + axisHeight + 8 + yLabelArea, PAD + xLabelOverhang));
            int tickLabelWidth = tickMetrics.stringWidth("100%");
            int contentWidth = contentX + side + 28 + COLOUR_BAR_WIDTH + 7 + tickLabelWidth + 14 + axisHeight + PAD;
            width = Math.max(contentWidth, titleMetrics.stringWidth(title) + 2 * PAD);
            // A title wider than the plot (few classes) widens the image; keep the plot centred.
            matrixX = contentX + (width - contentWidth) / 2;
            colourBarX = matrixX + side + 28;
            colourBarCaptionX = colourBarX + COLOUR_BAR_WIDTH + 7 + tickLabelWidth + 14 + axisHeight / 2.0;
            int barBottom = matrixY + Math.max(side, 120);
            int matrixBottom = (int) Math.ceil(matrixY + side + 6 + xLabelExtent + 10 + axisHeight + PAD);
            height = Math.max(matrixBottom, barBottom + PAD);
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
                Font font = PlotDrawing.sans(Font.PLAIN, size);
                if (PlotDrawing.metrics(font).stringWidth(widest) <= cell - 4) {
                    return font;
                }
            }
            return null;
        }

        /** The smallest 1-2-5 step that is at least {@code minimum}. */
        private static int niceStep(double minimum) {
            for (int magnitude = 1; ; magnitude *= 10) {
                for (int multiple : new int[] {1, 2, 5}) {
                    if (multiple * magnitude >= minimum) {
                        return multiple * magnitude;
                    }
                }
            }
        }
    }
}
