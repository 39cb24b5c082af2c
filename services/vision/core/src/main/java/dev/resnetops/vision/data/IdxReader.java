package dev.resnetops.vision.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-style IDX files (as used by MNIST and Fashion-MNIST), gzipped or not.
 *
 * <p>An IDX file is a big-endian header (two zero bytes, a type byte, a dimension count, one int32
 * per dimension) followed by the data. We only accept unsigned bytes (type 0x08): images with three
 * dimensions (count, rows, columns) and labels with one (count).
 */
public final class IdxReader {

    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover",
            "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final List<String> MNIST_CLASSES =
            IntStream.range(0, 10).mapToObj(Integer::toString).toList();

    private static final int UNSIGNED_BYTE = 0x08;
    /** Data bytes of one IDX file: it is held in one Java array (the header is 16 bytes). */
    static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 16;
    /**
     * DEFLATE's maximum expansion is about 1032:1 (258-byte matches coded in 2 bits), so a gzip file of n
     * bytes cannot honestly hold more than this many times n.
     */
    static final long MAX_GZIP_RATIO = 1032;

    /** Images of one IDX file: {@code count} images of {@code rows x cols}, one byte per pixel. */
    public record IdxImages(int count, int rows, int cols, byte[] pixels) {
    }

    private IdxReader() {
    }

    /** True when {@code dir} holds the training pair of IDX files. */
    public static boolean isIdxDirectory(Path dir) {
        return findFile(dir, "train-images-idx3-ubyte") != null && findFile(dir, "train-labels-idx1-ubyte") != null;
    }

    /**
     * Opens a directory holding {@code train-*} and optionally {@code t10k-*} IDX files. Class names are
     * Fashion-MNIST's when the directory name mentions "fashion", else the digits 0-9.
     */
    public static SourceDataset open(Path dir) {
        String name = dir.toAbsolutePath().normalize().getFileName().toString().toLowerCase(Locale.ROOT);
        return open(dir, name.contains("fashion") ? FASHION_MNIST_CLASSES : MNIST_CLASSES);
    }

    /** Opens a directory of IDX files with the given class names. All files are read eagerly. */
    public static SourceDataset open(Path dir, List<String> classNames) {
        Path trainImages = require(dir, "train-images-idx3-ubyte");
        Path trainLabels = require(dir, "train-labels-idx1-ubyte");
        Path testImages = findFile(dir, "t10k-images-idx3-ubyte");
        Path testLabels = findFile(dir, "t10k-labels-idx1-ubyte");
        if ((testImages == null) != (testLabels == null)) {
            throw new DatasetException(dir + ": has only one of t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte;"
                    + " add the missing file or remove the other one");
        }
        IdxImages train = readImages(trainImages);
        byte[] trainLabelBytes = readLabels(trainLabels);
        requireSameCount(trainImages, train, trainLabels, trainLabelBytes);
        IdxImages test = null;
        byte[] testLabelBytes = null;
        if (testImages != null) {
            test = readImages(testImages);
            testLabelBytes = readLabels(testLabels);
            requireSameCount(testImages, test, testLabels, testLabelBytes);
            if (test.rows() != train.rows() || test.cols() != train.cols()) {
                throw new DatasetException(testImages + ": images are " + test.rows() + "x" + test.cols()
                        + " but the training images in " + trainImages + " are " + train.rows() + "x" + train.cols());
            }
        }
        return new IdxSource(dir, List.copyOf(classNames), train, trainImages, trainLabelBytes,
                test, testImages, testLabelBytes);
    }

    /** Reads an idx3 image file, checking its header and that it holds exactly the bytes the header promises. */
    public static IdxImages readImages(Path file) {
        return readImages(file, MAX_DATA_BYTES);
    }

    /** {@link #readImages(Path)} with an absolute bound on the data bytes (tests use a small one). */
    static IdxImages readImages(Path file, long maxDataBytes) {
        try (DataInputStream in = openStream(file)) {
            int[] dims = readHeader(file, in, 3);
            long expected = (long) dims[0] * dims[1] * dims[2];
            try {
                ImageLimits.DEFAULT.checkPixels(dims[2], dims[1]);
            } catch (ImageRefusedException e) {
                throw new DatasetException(file + ": every image in this IDX file is too large: " + e.getMessage());
            }
            checkClaim(file, expected, 16, dims[0] + " images of " + dims[1] + "x" + dims[2], maxDataBytes);
            return new IdxImages(dims[0], dims[1], dims[2], readExactly(file, in, (int) expected, 16));
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** Reads an idx1 label file. */
    public static byte[] readLabels(Path file) {
        try (DataInputStream in = openStream(file)) {
            int[] dims = readHeader(file, in, 1);
            checkClaim(file, dims[0], 8, dims[0] + " labels", MAX_DATA_BYTES);
            return readExactly(file, in, dims[0], 8);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * Refuses a header whose size claim the file cannot back, before anything is allocated for it. A plain
     * file must hold exactly header + data; a gzipped one cannot expand more than DEFLATE's maximum ratio.
     * Either way the data must fit in one array and in the heap this JVM has left.
     */
    private static void checkClaim(Path file, long expected, int headerSize, String what, long maxDataBytes)
            throws IOException {
        long size = Files.size(file);
        boolean gzipped = isGzipped(file);
        if (!gzipped && expected > size - headerSize) {
            throw new DatasetException(file + ": truncated IDX file: the header claims " + what + ", so expected "
                    + (headerSize + expected) + " bytes (header " + headerSize + " + data " + expected + "), found "
                    + size + "; download it again");
        }
        if (!gzipped && expected < size - headerSize) {
            throw new DatasetException(file + ": IDX file is longer than its header says (" + what + " = "
                    + (headerSize + expected) + " bytes, found " + size + "); the header or the file is wrong");
        }
        if (gzipped && expected > Math.max(size * MAX_GZIP_RATIO, 1L << 20)) {
            throw new DatasetException(file + ": the header claims " + what + " = " + expected + " data bytes, more"
                    + " than a gzip file of " + size + " bytes can expand to (at most " + MAX_GZIP_RATIO + " times);"
                    + " the header is wrong or the file is not what it claims, download it again");
        }
        if (expected > maxDataBytes) {
            throw new DatasetException(file + ": the header claims " + what + " = " + expected + " data bytes, over"
                    + " the limit of " + maxDataBytes + " for one IDX file; split the dataset into smaller files");
        }
        Runtime runtime = Runtime.getRuntime();
        long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (expected > available) {
            throw new DatasetException(file + ": the header claims " + what + " = " + expected + " data bytes, more"
                    + " than the " + available + " bytes of memory this process has free; give the service a larger"
                    + " heap (-Xmx) or split the dataset into smaller files");
        }
    }

    private static boolean isGzipped(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    private static int[] readHeader(Path file, DataInputStream in, int expectedDims) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new DatasetException(file + ": truncated IDX file: expected a 4-byte magic number, found "
                    + magic.length + " bytes");
        }
        int type = magic[2] & 0xFF;
        int dimCount = magic[3] & 0xFF;
        if (magic[0] != 0 || magic[1] != 0 || type != UNSIGNED_BYTE || dimCount != expectedDims) {
            throw new DatasetException(String.format(Locale.ROOT,
                    "%s: bad IDX magic number 0x%02X%02X%02X%02X, expected 0x000008%02X (unsigned bytes, %d dimension%s);"
                            + " is this the right file, and is it really %s?",
                    file, magic[0], magic[1], magic[2], magic[3], expectedDims, expectedDims,
                    expectedDims == 1 ? "" : "s", file.toString().endsWith(".gz") ? "gzipped" : "not gzipped"));
        }
        int[] dims = new int[expectedDims];
        for (int i = 0; i < expectedDims; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new DatasetException(file + ": truncated IDX file: the header ends inside dimension " + (i + 1));
            }
            if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
                throw new DatasetException(file + ": invalid dimension " + (i + 1) + " = " + dims[i] + " in the IDX header");
            }
        }
        return dims;
    }

    private static byte[] readExactly(Path file, DataInputStream in, int expected, int headerSize) throws IOException {
        byte[] data = in.readNBytes(expected);
        if (data.length < expected) {
            throw new DatasetException(file + ": truncated IDX file: expected " + (headerSize + (long) expected)
                    + " bytes (header " + headerSize + " + data " + expected + "), found " + (headerSize + data.length)
                    + "; download it again");
        }
        if (in.read() != -1) {
            throw new DatasetException(file + ": IDX file is longer than its header says (" + (headerSize + (long) expected)
                    + " bytes); the header or the file is wrong");
        }
        return data;
    }

    private static void requireSameCount(Path imagesFile, IdxImages images, Path labelsFile, byte[] labels) {
        if (images.count() != labels.length) {
            throw new DatasetException(imagesFile + " holds " + images.count() + " images but " + labelsFile
                    + " holds " + labels.length + " labels; they must come from the same release");
        }
    }

    private static DataInputStream openStream(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            InputStream in = isGzipped(file)
                    ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new DataInputStream(new BufferedInputStream(in, 1 << 16));
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    private static DatasetException unreadable(Path file, IOException e) {
        String hint = e instanceof EOFException ? "the gzip stream ends early; the file is truncated, download it again"
                : e.getMessage();
        return new DatasetException(file + ": cannot read IDX file: " + hint, e);
    }

    private static Path findFile(Path dir, String baseName) {
        for (String candidate : new String[] {baseName, baseName + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Path require(Path dir, String baseName) {
        Path p = findFile(dir, baseName);
        if (p == null) {
            throw new DatasetException(dir + ": missing " + baseName + " (or " + baseName + ".gz)");
        }
        return p;
    }

    /** An opened IDX directory; pixels stay in the arrays read at open time. */
    private record IdxSource(Path root, List<String> classes, IdxImages train, Path trainFile, byte[] trainLabels,
                             IdxImages test, Path testFile, byte[] testLabels) implements SourceDataset {

        @Override
        public SourceFormat format() {
            return SourceFormat.IDX;
        }

        @Override
        public int channels() {
            return 1;
        }

        @Override
        public int height() {
            return train.rows();
        }

        @Override
        public int width() {
            return train.cols();
        }

        @Override
        public Set<Split> splits() {
            return test == null ? EnumSet.of(Split.TRAIN) : EnumSet.of(Split.TRAIN, Split.TEST);
        }

        @Override
        public void read(Split split, SampleSink sink) {
            IdxImages images = split == Split.TRAIN ? train : test;
            byte[] labels = split == Split.TRAIN ? trainLabels : testLabels;
            Path file = split == Split.TRAIN ? trainFile : testFile;
            if (images == null) {
                throw new IllegalArgumentException(root + " has no " + split.id() + " split");
            }
            int size = images.rows() * images.cols();
            for (int i = 0; i < images.count(); i++) {
                int label = labels[i] & 0xFF;
                String origin = file.getFileName() + "#" + i;
                if (label >= classes.size()) {
                    sink.problem(new DataProblem(file + "#" + i, "label " + label
                            + " in the label file is out of range 0.." + (classes.size() - 1)));
                    continue;
                }
                byte[] pixels = new byte[size];
                System.arraycopy(images.pixels(), i * size, pixels, 0, size);
                sink.accept(new LabelledImage(origin, new DecodedImage(images.cols(), images.rows(), 1, pixels), label));
            }
        }
    }
}
