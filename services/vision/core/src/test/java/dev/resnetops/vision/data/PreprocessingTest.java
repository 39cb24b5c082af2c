package dev.resnetops.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingTest {

    @TempDir
    Path tmp;

    private static final float[] ZERO = {0f};
    private static final float[] ONE = {1f};

    private static Preprocessing smallPolicy(int inputSize, float[] mean, float[] std) {
        return new Preprocessing(inputSize, 1, mean, std, TrainAugmentation.padRandomCrop(4), EvalResize.centerPad());
    }

    private static DecodedImage white(int w, int h) {
        byte[] p = new byte[w * h];
        Arrays.fill(p, (byte) 255);
        return new DecodedImage(w, h, 1, p);
    }

    @Test
    void smallStoredImagesGetPadCropPolicyWithManifestStatistics() {
        DatasetManifest m = DatasetImporter.importDataset(Fixtures.path("idx/fashion-mini"), tmp.resolve("ds"),
                ImportOptions.defaults());

        Preprocessing p = Preprocessing.forDataset(m, 16); // the fixture's images are 8 px

        assertThat(p.train().policy()).isEqualTo(TrainAugmentation.Policy.PAD_RANDOM_CROP);
        assertThat(p.train().padding()).isEqualTo(4);
        assertThat(p.eval().policy()).isEqualTo(EvalResize.Policy.CENTER_PAD);
        assertThat(p.mean()[0]).isEqualTo(m.mean().get(0).floatValue());
        assertThat(p.sampleLength()).isEqualTo(16 * 16);
    }

    @Test
    void smallImagesAreResizedUpToAnInputMuchLargerThanThemAndTheStatisticsCanBeReplaced() {
        DatasetManifest m = DatasetImporter.importDataset(Fixtures.path("idx/fashion-mini"), tmp.resolve("ds"),
                ImportOptions.defaults());

        Preprocessing p = Preprocessing.forDataset(m, 64).withStatistics(ChannelStatistics.imagenet(1));

        // 8 px padded into 64 would leave the image a patch on a blank canvas: pretrained weights want it resized.
        assertThat(p.train().policy()).isEqualTo(TrainAugmentation.Policy.RANDOM_RESIZED_CROP);
        assertThat(p.eval().policy()).isEqualTo(EvalResize.Policy.RESIZE_CENTER_CROP);
        assertThat(p.mean()).containsExactly(0.449f);
        assertThat(Preprocessing.forDataset(m, 16).train().policy()).as("8 + 2 x 4 of padding")
                .isEqualTo(TrainAugmentation.Policy.PAD_RANDOM_CROP);
        assertThatThrownBy(() -> p.withStatistics(ChannelStatistics.imagenet(3)))
                .hasMessageContaining("for 3 channels, the images have 1");
    }

    @Test
    void largeImagesGetImageNetPolicy() {
        DatasetManifest m = DatasetImporter.importDataset(Fixtures.path("imagefolder/mixed"), tmp.resolve("ds"),
                ImportOptions.defaults());

        Preprocessing p = Preprocessing.forDataset(m, 224);

        assertThat(p.train().policy()).isEqualTo(TrainAugmentation.Policy.RANDOM_RESIZED_CROP);
        assertThat(p.train().minScale()).isEqualTo(0.08);
        assertThat(p.eval().resizeTo()).isEqualTo(256);
        assertThat(p.channels()).isEqualTo(3);
    }

    @Test
    void evalCentresA28PixelImageWithTwoPixelsOfZeroPaddingAndNormalises() {
        Preprocessing p = smallPolicy(32, new float[] {0.5f}, new float[] {0.25f});

        float[] out = p.evaluate(white(28, 28));

        float padding = (0f - 0.5f) / 0.25f; // zero pixels, normalised: -2
        float inside = (1f - 0.5f) / 0.25f;  // 255 pixels, normalised: 2
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                boolean inImage = x >= 2 && x < 30 && y >= 2 && y < 30;
                assertThat(out[y * 32 + x]).as("(%d,%d)", x, y).isEqualTo(inImage ? inside : padding);
            }
        }
    }

    @Test
    void randomCropOfPaddedImageKeepsTheWholeImageWithinFourPixelOffsets() {
        Preprocessing p = smallPolicy(32, ZERO, ONE);
        SplittableRandom rng = new SplittableRandom(7);
        boolean[] leftSeen = new boolean[5];
        for (int trial = 0; trial < 200; trial++) {
            float[] out = p.augment(white(28, 28), rng);
            int left = 32;
            int top = 32;
            int count = 0;
            for (int i = 0; i < out.length; i++) {
                if (out[i] == 1f) {
                    count++;
                    left = Math.min(left, i % 32);
                    top = Math.min(top, i / 32);
                }
            }
            assertThat(count).isEqualTo(28 * 28); // padding 4 -> 36, crop 32: never cuts into the image
            assertThat(left).isBetween(0, 4);
            assertThat(top).isBetween(0, 4);
            leftSeen[left] = true;
        }
        assertThat(leftSeen).containsOnly(true);
    }

    @Test
    void horizontalFlipMirrorsTheImage() {
        Preprocessing p = new Preprocessing(4, 1, ZERO, ONE,
                new TrainAugmentation(TrainAugmentation.Policy.PAD_RANDOM_CROP, 0, 1, 1, 1, 1, true),
                EvalResize.centerPad());
        DecodedImage ramp = new DecodedImage(4, 1, 1, new byte[] {0, 85, (byte) 170, (byte) 255});
        SplittableRandom rng = new SplittableRandom(1);
        boolean sawFlip = false;
        boolean sawPlain = false;
        for (int i = 0; i < 20; i++) {
            float[] row = Arrays.copyOf(p.augment(new DecodedImage(4, 4, 1, tile(ramp)), rng), 4);
            sawPlain |= row[0] == 0f && row[3] == 1f;
            sawFlip |= row[0] == 1f && row[3] == 0f;
        }
        assertThat(sawFlip).isTrue();
        assertThat(sawPlain).isTrue();
    }

    private static byte[] tile(DecodedImage row) {
        byte[] out = new byte[16];
        for (int y = 0; y < 4; y++) {
            System.arraycopy(row.pixels(), 0, out, y * 4, 4);
        }
        return out;
    }

    @Test
    void imageNetEvalResizesShorterSideThenCropsTheCentre() {
        Preprocessing p = new Preprocessing(224, 1, ZERO, ONE, TrainAugmentation.randomResizedCrop(),
                EvalResize.resizeCenterCrop(224));
        // 512 wide x 256 high, pixel value = x / 2: resized to 512x256 (no-op), central 224 columns are 144..367.
        byte[] px = new byte[512 * 256];
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 512; x++) {
                px[y * 512 + x] = (byte) (x / 2);
            }
        }
        float[] out = p.evaluate(new DecodedImage(512, 256, 1, px));

        assertThat(out).hasSize(224 * 224);
        assertThat(out[100 * 224] * 255).isCloseTo(144 / 2, within(0.51f));
        assertThat(out[100 * 224 + 223] * 255).isCloseTo(367 / 2, within(0.51f));
    }

    @Test
    void randomResizedCropBoxesStayInsideTheImageWithinScaleAndRatio() {
        TrainAugmentation aug = TrainAugmentation.randomResizedCrop();
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 500; i++) {
            double[] box = RandomResizedCrop.sample(300, 200, aug, rng);
            assertThat(box[0]).isGreaterThanOrEqualTo(0);
            assertThat(box[1]).isGreaterThanOrEqualTo(0);
            assertThat(box[0] + box[2]).isLessThanOrEqualTo(300);
            assertThat(box[1] + box[3]).isLessThanOrEqualTo(200);
            assertThat(box[2] * box[3] / (300.0 * 200)).isBetween(0.07, 1.0);
        }
    }

    @Test
    void specHashIsStableAndSurvivesAJsonRoundTrip() {
        Preprocessing a = smallPolicy(32, new float[] {0.2860f}, new float[] {0.3530f});
        Preprocessing b = smallPolicy(32, new float[] {0.2860f}, new float[] {0.3530f});
        Preprocessing other = smallPolicy(32, new float[] {0.2861f}, new float[] {0.3530f});

        assertThat(a.specHash()).isEqualTo(b.specHash()).hasSize(64);
        assertThat(other.specHash()).isNotEqualTo(a.specHash());
        assertThat(Preprocessing.fromJson(a.toJson())).isEqualTo(a);
        assertThat(Preprocessing.fromJson(a.toJson()).specHash()).isEqualTo(a.specHash());
    }

    @Test
    void grayImagesAreReplicatedForAThreeChannelSpec() {
        Preprocessing p = new Preprocessing(2, 3, new float[3], new float[] {1, 1, 1},
                TrainAugmentation.padRandomCrop(0), EvalResize.centerPad());

        float[] out = p.evaluate(white(2, 2));

        assertThat(out).hasSize(12).containsOnly(1f);
    }
}
