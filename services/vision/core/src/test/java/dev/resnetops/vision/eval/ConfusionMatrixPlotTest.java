package dev.resnetops.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
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
