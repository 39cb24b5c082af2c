package dev.resnetops.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixPlotTest {

    private static final List<String> FASHION_MNIST = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    @TempDir
    Path dir;

    private final ConfusionMatrixPlot plot = new ConfusionMatrixPlot();

    private static long[][] diagonal(int n, long correct, long wrong) {
        long[][] confusion = new long[n][n];
        for (int row = 0; row < n; row++) {
            confusion[row][row] = correct;
            confusion[row][(row + 1) % n] = wrong;
        }
        return confusion;
    }

    private static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            names.add("class_" + k);
        }
        return names;
    }

    @Test
    void writesAPngOfSensibleSizeForTenNamedClasses() throws IOException {
        Path png = dir.resolve("cm.png");

        plot.render(diagonal(10, 900, 100), FASHION_MNIST, "Fashion-MNIST", png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isBetween(600, 1600);
        assertThat(image.getHeight()).isBetween(600, 1600);
    }

    @Test
    void diagonalCellsAreDarkAndEmptyCellsWhite() {
        BufferedImage image = plot.draw(diagonal(10, 1000, 0), FASHION_MNIST, "perfect");

        // Sample the image where the darkest and the whitest matrix colours occur.
        assertThat(countPixels(image, ConfusionMatrixPlot.colour(1.0))).isGreaterThan(1000);
        assertThat(countPixels(image, Color.WHITE)).isGreaterThan(image.getWidth() * image.getHeight() / 3);
    }

    @Test
    void scalesToHundredsAndThousandsOfClassesWithinBoundedSize() {
        for (int n : new int[] {2, 100, 1200}) {
            BufferedImage image = plot.draw(diagonal(n, 50, 5), names(n), n + " classes");

            assertThat(image.getWidth()).as("width for %d classes", n).isBetween(300, 1700);
            assertThat(image.getHeight()).as("height for %d classes", n).isBetween(300, 1700);
        }
    }

    @Test
    void cellsAreSquareAndColouredByTheirShareOfTheTrueClass() {
        // The first and last rows are all correct, so their diagonal cells mark the matrix's corners.
        long[][] confusion = {{10, 0, 0}, {3, 6, 1}, {0, 0, 10}};

        ConfusionMatrixPlot.Rendered rendered = plot.rendered(confusion, List.of("a", "b", "c"), "shares");

        Rectangle2D area = rendered.matrixArea();
        assertThat(area.getWidth()).isCloseTo(area.getHeight(), within(1.0));
        double cell = area.getWidth() / 3;
        assertThat(cornerOfCell(rendered, 0, 0, cell)).isEqualTo(ConfusionMatrixPlot.colour(1.0));
        assertThat(cornerOfCell(rendered, 1, 0, cell)).isEqualTo(ConfusionMatrixPlot.colour(0.3));
        assertThat(cornerOfCell(rendered, 1, 1, cell)).isEqualTo(ConfusionMatrixPlot.colour(0.6));
        assertThat(cornerOfCell(rendered, 1, 2, cell)).isEqualTo(ConfusionMatrixPlot.colour(0.1));
        assertThat(cornerOfCell(rendered, 0, 1, cell)).isEqualTo(Color.WHITE);
        assertThat(cornerOfCell(rendered, 2, 2, cell)).isEqualTo(ConfusionMatrixPlot.colour(1.0));
    }

    @Test
    void countsArePrintedInContrastingColourInsideTheirCells() {
        long[][] confusion = {{10, 0}, {0, 10}};

        ConfusionMatrixPlot.Rendered rendered = plot.rendered(confusion, List.of("a", "b"), "counts");

        Rectangle2D area = rendered.matrixArea();
        double cell = area.getWidth() / 2;
        // The middle of a dark cell holds the white digits of its count, the rest of it is the cell colour.
        Rectangle2D middle = new Rectangle2D.Double(area.getX() + cell * 0.3, area.getY() + cell * 0.3, cell * 0.4,
                cell * 0.4);
        assertThat(countBrightPixels(rendered.image(), middle)).isGreaterThan(20);
        assertThat(countPixels(rendered.image(), ConfusionMatrixPlot.colour(1.0), middle))
                .isGreaterThan((long) (middle.getWidth() * middle.getHeight() / 2));
    }

    @Test
    void moreClassesThanPixelsKeepAFullStrengthDiagonal() {
        int n = 1500;
        long[][] confusion = diagonal(n, 1, 0);

        ConfusionMatrixPlot.Rendered rendered = plot.rendered(confusion, names(n), n + " classes");

        // Each pixel holds the largest share of its square of cells: a perfect diagonal stays at 100 %,
        // where an average over 1.5 x 1.5 cells would fade it.
        Rectangle2D area = rendered.matrixArea();
        int darkest = ConfusionMatrixPlot.colour(1.0).getRGB() & 0xffffff;
        for (int step = 1; step < 10; step++) {
            int y = (int) (area.getY() + area.getHeight() * step / 10);
            boolean found = false;
            for (int x = (int) area.getX(); x < area.getMaxX(); x++) {
                found |= (rendered.image().getRGB(x, y) & 0xffffff) == darkest;
            }
            assertThat(found).as("a 100 %% pixel in matrix row y=%d", y).isTrue();
        }
    }

    @Test
    void textColourContrastsWithTheCell() {
        assertThat(ConfusionMatrixPlot.textColourOn(ConfusionMatrixPlot.colour(1.0))).isEqualTo(Color.WHITE);
        assertThat(ConfusionMatrixPlot.textColourOn(ConfusionMatrixPlot.colour(0.0))).isNotEqualTo(Color.WHITE);
        assertThat(ConfusionMatrixPlot.colour(0.0)).isEqualTo(Color.WHITE);
    }

    @Test
    void rejectsNamesThatDoNotMatchTheMatrix() {
        assertThatThrownBy(() -> plot.draw(diagonal(3, 1, 0), List.of("a", "b"), "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 3 class names (one per confusion row), found 2");
    }

    @Test
    void rejectsNegativeCounts() {
        assertThatThrownBy(() -> plot.draw(new long[][] {{1, -2}, {0, 1}}, List.of("a", "b"), "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected non-negative counts, found -2 at row 0, column 1");
    }

    /** The colour a few pixels inside the top-left corner of a cell, clear of its border and its count. */
    private static Color cornerOfCell(ConfusionMatrixPlot.Rendered rendered, int row, int column, double cell) {
        Rectangle2D area = rendered.matrixArea();
        int x = (int) (area.getX() + column * cell + 6);
        int y = (int) (area.getY() + row * cell + 6);
        return new Color(rendered.image().getRGB(x, y) & 0xffffff);
    }

    /** Pixels at least as bright as light grey: white text and its antialiased edges. */
    private static long countBrightPixels(BufferedImage image, Rectangle2D region) {
        long count = 0;
        for (int y = (int) region.getMinY(); y < region.getMaxY(); y++) {
            for (int x = (int) region.getMinX(); x < region.getMaxX(); x++) {
                Color pixel = new Color(image.getRGB(x, y));
                if (pixel.getRed() > 160 && pixel.getGreen() > 160 && pixel.getBlue() > 160) {
                    count++;
                }
            }
        }
        return count;
    }

    private static long countPixels(BufferedImage image, Color colour, Rectangle2D region) {
        long count = 0;
        for (int y = (int) region.getMinY(); y < region.getMaxY(); y++) {
            for (int x = (int) region.getMinX(); x < region.getMaxX(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (colour.getRGB() & 0xffffff)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static long countPixels(BufferedImage image, Color colour) {
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (colour.getRGB() & 0xffffff)) {
                    count++;
                }
            }
        }
        return count;
    }
}
