package dev.resnetops.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.resnetops.onnx.runtime.ClassifierOptions;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageResult;
import dev.resnetops.onnx.runtime.ModelIdentity;
import dev.resnetops.onnx.runtime.ModelMetadata;
import dev.resnetops.onnx.runtime.OnnxClassifier;
import dev.resnetops.onnx.runtime.ScoredLabel;
import dev.resnetops.vision.data.DecodedImage;
import dev.resnetops.vision.data.ImageCodec;
import dev.resnetops.vision.data.Sha256;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inference library on a small random 3-channel model: good images, bad images, one batch. */
class OnnxClassifierTest {

    private static final int SIZE = 16;
    private static final int CLASSES = 4;

    @TempDir
    static Path dir;

    private static NDManager manager;
    private static Block block;
    private static ModelMetadata metadata;
    private static Path model;

    @BeforeAll
    static void export() {
        manager = NDManager.newBaseManager();
        block = RandomResNets.build("resnet18-small", CLASSES, 3, SIZE, 9, manager);
        metadata = RandomResNets.metadata("resnet18-small", CLASSES, 3, SIZE);
        model = dir.resolve("model.onnx");
        OnnxExporter.write(OnnxExporter.export(block, metadata), model);
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    @Test
    void classifiesLikeDjlAndReportsTheModelIdentity() throws Exception {
        DecodedImage image = randomImage(20, 12, 3, 1);
        try (OnnxClassifier classifier = OnnxClassifier.open(model, ClassifierOptions.defaults().withThreads(1)
                .withTopK(CLASSES))) {
            ImageResult result = classifier.classify(new ImageInput.Raw("raw", image));

            float[] djl = DjlLogits.of(block, metadata.preprocessing().evaluate(image), 1, 3, SIZE, SIZE)[0];
            double[] softmax = softmax(djl);
            assertThat(result).isInstanceOf(ImageResult.Classified.class);
            List<ScoredLabel> top = ((ImageResult.Classified) result).top();
            assertThat(top).hasSize(CLASSES);
            assertThat(top.get(0).index()).isEqualTo(LogitComparison.argMax(djl));
            for (ScoredLabel label : top) {
                assertThat(label.label()).isEqualTo("class-" + label.index());
                assertThat((double) label.probability()).isCloseTo(softmax[label.index()], within(1e-4));
            }
            assertThat(top).isSortedAccordingTo((a, b) -> Float.compare(b.probability(), a.probability()));

            ModelIdentity identity = classifier.identity();
            assertThat(identity.preset()).isEqualTo("resnet18-small");
            assertThat(identity.runId()).isEqualTo("test-run");
            assertThat(identity.sha256()).isEqualTo(Sha256.ofFile(model));
            assertThat(identity.provider()).isEqualTo("CPU");
        }
    }

    @Test
    void badImagesAreRejectedOneByOneWhileTheRestOfTheBatchIsClassified() throws Exception {
        DecodedImage rgb = randomImage(24, 24, 3, 2);
        byte[] png = ImageCodec.encode(rgb, "png", 0);
        byte[] jpeg = ImageCodec.encode(rgb, "jpeg", 0.9f);
        Path pngFile = Files.write(dir.resolve("good.png"), png);
        DecodedImage rgba = randomImage(10, 14, 4, 3);
        DecodedImage gray = randomImage(16, 16, 1, 4);

        List<ImageInput> batch = List.of(
                new ImageInput.File(pngFile),
                new ImageInput.Encoded("truncated.png", Arrays.copyOf(png, png.length / 2)),
                new ImageInput.Encoded("good.jpg", jpeg),
                new ImageInput.Encoded("truncated.jpg", Arrays.copyOf(jpeg, jpeg.length * 2 / 3)),
                new ImageInput.Encoded("garbage.bin", "definitely not an image".getBytes()),
                new ImageInput.Encoded("picture.gif", encode(rgb, "gif")),
                new ImageInput.Encoded("bomb.png", encode(new BufferedImage(3000, 2000, BufferedImage.TYPE_BYTE_GRAY),
                        "png")),
                new ImageInput.Raw("rgba.raw", rgba),
                new ImageInput.Raw("gray.raw", gray),
                new ImageInput.Encoded("empty.png", new byte[0]),
                new ImageInput.File(dir.resolve("missing.png")));

        List<ImageResult> results;
        try (OnnxClassifier classifier = OnnxClassifier.open(model,
                ClassifierOptions.defaults().withThreads(1).withMaxPixels(1_000_000).withTopK(2))) {
            results = classifier.classify(batch);
        }

        assertThat(results).extracting(ImageResult::source).containsExactlyElementsOf(
                batch.stream().map(ImageInput::name).toList());
        assertClassified(results.get(0));
        assertRejected(results.get(1), "corrupt");
        assertClassified(results.get(2));
        assertRejected(results.get(3), "truncated");
        assertRejected(results.get(4), "unsupported format");
        assertRejected(results.get(5), "unsupported format gif");
        assertRejected(results.get(6), "3000x2000 = 6000000 pixels, over the limit of 1000000");
        assertClassified(results.get(7));
        assertClassified(results.get(8));
        assertRejected(results.get(9), "empty");
        assertRejected(results.get(10), "no such file");
    }

    @Test
    void aFileThatIsNotAResnetopsModelIsRefusedByName() throws Exception {
        Path other = dir.resolve("plain.onnx");
        var plain = OnnxExporter.export(block, metadata).toBuilder().clearMetadataProps().build();
        OnnxExporter.write(plain, other);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> OnnxClassifier.open(other, ClassifierOptions.defaults().withThreads(1)))
                .hasMessageContaining(other.toString())
                .hasMessageContaining("resnetops.preprocessing");
    }

    private static void assertClassified(ImageResult result) {
        assertThat(result).as(result.toString()).isInstanceOf(ImageResult.Classified.class);
        List<ScoredLabel> top = ((ImageResult.Classified) result).top();
        assertThat(top).hasSize(2);
        assertThat(top.get(0).probability()).isBetween(0.25f, 1f);
    }

    private static void assertRejected(ImageResult result, String problem) {
        assertThat(result).as(result.toString()).isInstanceOf(ImageResult.Rejected.class);
        assertThat(((ImageResult.Rejected) result).error()).contains(problem);
    }

    private static DecodedImage randomImage(int width, int height, int channels, long seed) {
        byte[] pixels = new byte[width * height * channels];
        new Random(seed).nextBytes(pixels);
        return new DecodedImage(width, height, channels, pixels);
    }

    private static byte[] encode(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    private static byte[] encode(DecodedImage image, String format) throws Exception {
        return encode(ImageCodec.toBufferedImage(image), format);
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
