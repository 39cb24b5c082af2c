package dev.resnetops.vision.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Turns a stored image into the normalised float CHW tensor a model consumes. The same record is saved
 * with a trained model, so inference preprocesses exactly as evaluation did; {@link #specHash()} identifies it.
 *
 * <p>Geometry happens on 8-bit pixels and normalisation, {@code (v/255 - mean) / std}, last: padding is
 * therefore zero in pixel space (it becomes {@code -mean/std} after normalisation), as in torchvision.
 *
 * @param inputSize side of the square model input
 * @param channels  1 or 3; images with another channel count are converted first
 * @param mean      per-channel mean in [0,1] scale
 * @param std       per-channel standard deviation in [0,1] scale
 */
public record Preprocessing(int inputSize, int channels, float[] mean, float[] std, TrainAugmentation train,
                            EvalResize eval) {

    /** Images whose larger stored side is at most this use the small-image (pad + crop) policy. */
    public static final int SMALL_IMAGE_MAX_SIDE = 64;
    public static final int SMALL_IMAGE_PADDING = 4;

    private static final ObjectMapper CANONICAL_JSON = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).build();

    public Preprocessing {
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("mean and std need one value per channel (" + channels + ")");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * Picks the policy from the stored image size and the input size, and takes mean/std from the
     * dataset manifest ({@link #withStatistics} replaces them). Small images (at most {@value
     * #SMALL_IMAGE_MAX_SIDE} px) are padded and cropped when the input is about their size; an input
     * larger than the image with its padding (28 px images at 64-224 px, as ImageNet weights want) is
     * reached by resizing instead, since padding would leave the image a small patch on a blank canvas.
     */
    public static Preprocessing forDataset(DatasetManifest m, int inputSize) {
        ChannelStatistics statistics = ChannelStatistics.ofDataset(m);
        float[] mean = statistics.mean();
        float[] std = statistics.std();
        int side = Math.max(m.height(), m.width());
        boolean small = m.storage() == StorageKind.RAW_UINT8 && side <= SMALL_IMAGE_MAX_SIDE
                && inputSize <= side + 2 * SMALL_IMAGE_PADDING;
        return small
                ? new Preprocessing(inputSize, m.channels(), mean, std,
                TrainAugmentation.padRandomCrop(SMALL_IMAGE_PADDING), EvalResize.centerPad())
                : new Preprocessing(inputSize, m.channels(), mean, std,
                TrainAugmentation.randomResizedCrop(), EvalResize.resizeCenterCrop(inputSize));
    }

    /** The same geometry, normalised with other statistics (those the starting weights were trained with). */
    public Preprocessing withStatistics(ChannelStatistics statistics) {
        if (statistics.channels() != channels) {
            throw new IllegalArgumentException("normalisation " + statistics + " is for " + statistics.channels()
                    + " channels, the images have " + channels);
        }
        return new Preprocessing(inputSize, channels, statistics.mean(), statistics.std(), train, eval);
    }

    /** Number of floats one preprocessed image occupies: channels * inputSize * inputSize. */
    public int sampleLength() {
        return channels * inputSize * inputSize;
    }

    public float[] evaluate(DecodedImage image) {
        float[] out = new float[sampleLength()];
        evaluateInto(image, out, 0);
        return out;
    }

    public float[] augment(DecodedImage image, RandomGenerator rng) {
        float[] out = new float[sampleLength()];
        augmentInto(image, rng, out, 0);
        return out;
    }

    /** Deterministic preprocessing, written to {@code out[offset .. offset + sampleLength())}. */
    public void evaluateInto(DecodedImage image, float[] out, int offset) {
        DecodedImage img = ChannelConverter.convert(image, channels);
        if (eval.policy() == EvalResize.Policy.CENTER_PAD) {
            writeNormalised(img, Math.floorDiv(inputSize - img.width(), 2),
                    Math.floorDiv(inputSize - img.height(), 2), false, out, offset);
            return;
        }
        double scale = (double) eval.resizeTo() / Math.min(img.width(), img.height());
        long resizedW = Math.round(img.width() * scale);
        long resizedH = Math.round(img.height() * scale);
        // The centre crop in resized coordinates, mapped back onto the source so we resample only once.
        double x0 = (resizedW - inputSize) / 2 * ((double) img.width() / resizedW);
        double y0 = (resizedH - inputSize) / 2 * ((double) img.height() / resizedH);
        DecodedImage crop = BilinearResampler.cropResize(img, x0, y0, inputSize * (double) img.width() / resizedW,
                inputSize * (double) img.height() / resizedH, inputSize, inputSize);
        writeNormalised(crop, 0, 0, false, out, offset);
    }

    /** Random training preprocessing; all randomness comes from {@code rng}, so it is reproducible. */
    public void augmentInto(DecodedImage image, RandomGenerator rng, float[] out, int offset) {
        DecodedImage img = ChannelConverter.convert(image, channels);
        if (train.policy() == TrainAugmentation.Policy.PAD_RANDOM_CROP) {
            int dx = randomShift(rng, img.width());
            int dy = randomShift(rng, img.height());
            writeNormalised(img, dx, dy, flip(rng), out, offset);
            return;
        }
        double[] box = RandomResizedCrop.sample(img.width(), img.height(), train, rng);
        DecodedImage crop = BilinearResampler.cropResize(img, box[0], box[1], box[2], box[3], inputSize, inputSize);
        writeNormalised(crop, 0, 0, flip(rng), out, offset);
    }

    /**
     * Where the image's left (or top) edge lands in the output after padding by {@code p} and cropping
     * {@code inputSize} at a random position: anywhere from {@code inputSize - side - p} to {@code p}.
     */
    private int randomShift(RandomGenerator rng, int side) {
        int p = train.padding();
        int a = inputSize - side - p;
        return a <= p ? rng.nextInt(a, p + 1) : rng.nextInt(p, a + 1);
    }

    private boolean flip(RandomGenerator rng) {
        return train.horizontalFlip() && rng.nextBoolean();
    }

    /** Copies {@code img} placed at {@code (dx, dy)} on a zero canvas, optionally mirrored, normalising to CHW. */
    private void writeNormalised(DecodedImage img, int dx, int dy, boolean mirror, float[] out, int offset) {
        int s = inputSize;
        for (int c = 0; c < channels; c++) {
            float m = mean[c];
            float inv = 1f / std[c];
            int plane = offset + c * s * s;
            for (int y = 0; y < s; y++) {
                int sy = y - dy;
                for (int x = 0; x < s; x++) {
                    int sx = (mirror ? s - 1 - x : x) - dx;
                    boolean inside = sy >= 0 && sy < img.height() && sx >= 0 && sx < img.width();
                    float v = inside ? img.pixel(sx, sy, c) / 255f : 0f;
                    out[plane + y * s + x] = (v - m) * inv;
                }
            }
        }
    }

    /** SHA-256 of the canonical JSON (properties sorted) of this spec: equal specs give equal hashes. */
    public String specHash() {
        return Sha256.hex(toJson());
    }

    public String toJson() {
        try {
            return CANONICAL_JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Preprocessing record always serialises", e);
        }
    }

    public static Preprocessing fromJson(String json) {
        try {
            return CANONICAL_JSON.readValue(json, Preprocessing.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a preprocessing spec: " + e.getOriginalMessage(), e);
        }
    }

    // Records compare arrays by identity; a spec is a value, so compare contents.
    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && inputSize == p.inputSize && channels == p.channels
                && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std)
                && Objects.equals(train, p.train) && Objects.equals(eval, p.eval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputSize, channels, Arrays.hashCode(mean), Arrays.hashCode(std), train, eval);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
