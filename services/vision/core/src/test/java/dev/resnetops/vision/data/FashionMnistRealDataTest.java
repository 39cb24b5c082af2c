package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reads the real Fashion-MNIST from the Debian package; skipped where it is not installed. */
class FashionMnistRealDataTest {

    private static final Path INSTALLED = DebianDatasetPackage.FASHION_MNIST.installDir();

    @Test
    void realFashionMnistHas60000TrainAnd10000TestImagesBalancedOverTenClasses() {
        assumeTrue(Files.isDirectory(INSTALLED), INSTALLED + " absent (apt-get install dataset-fashion-mnist)");

        SourceDataset fashion = IdxReader.open(INSTALLED);

        assertThat(fashion.classes()).isEqualTo(IdxReader.FASHION_MNIST_CLASSES);
        assertThat(fashion.height()).isEqualTo(28);
        assertThat(fashion.width()).isEqualTo(28);
        assertCounts(fashion, Split.TRAIN, 60_000, 6_000);
        assertCounts(fashion, Split.TEST, 10_000, 1_000);
    }

    private static void assertCounts(SourceDataset fashion, Split split, int total, int perClass) {
        int[] counts = new int[10];
        int[] seen = new int[1];
        fashion.read(split, new SampleSink() {
            @Override
            public void accept(LabelledImage image) {
                assertThat(image.image().width() * image.image().height()).isEqualTo(784);
                counts[image.label()]++;
                seen[0]++;
            }

            @Override
            public void problem(DataProblem problem) {
                throw new AssertionError("unexpected problem in the real dataset: " + problem);
            }
        });
        assertThat(seen[0]).isEqualTo(total);
        assertThat(counts).containsOnly(perClass);
    }
}
