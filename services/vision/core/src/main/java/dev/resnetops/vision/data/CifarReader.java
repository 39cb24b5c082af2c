package dev.resnetops.vision.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the binary versions of CIFAR-10 and CIFAR-100.
 *
 * <p>CIFAR-10: {@code data_batch_1.bin .. data_batch_5.bin}, {@code test_batch.bin}, class names in
 * {@code batches.meta.txt}; a record is 1 label byte + 3072 pixel bytes. CIFAR-100: {@code train.bin},
 * {@code test.bin}, names in {@code fine_label_names.txt}; a record is a coarse and a fine label byte +
 * 3072 pixel bytes, and we use the fine (100-class) label. Pixels are stored planar (all red, then all
 * green, then all blue, 32x32 each) and are converted to HWC here.
 */
public final class CifarReader {

    private static final int SIDE = 32;
    private static final int PIXELS = SIDE * SIDE * 3;

    private CifarReader() {
    }

    /** Returns the folder holding the CIFAR files: {@code dir} or its usual archive sub-folder, or null. */
    public static Path locate(Path dir) {
        for (Path candidate : List.of(dir, dir.resolve("cifar-10-batches-bin"), dir.resolve("cifar-100-binary"))) {
            if (Files.isRegularFile(candidate.resolve("data_batch_1.bin"))
                    || Files.isRegularFile(candidate.resolve("train.bin"))) {
                return candidate;
            }
        }
        return null;
    }

    public static SourceDataset open(Path dir) {
        Path folder = locate(dir);
        if (folder == null) {
            throw new DatasetException(dir + ": no CIFAR files (data_batch_1.bin for CIFAR-10, train.bin for CIFAR-100)");
        }
        boolean cifar10 = Files.isRegularFile(folder.resolve("data_batch_1.bin"));
        List<Path> train = cifar10 ? trainBatches(folder) : List.of(folder.resolve("train.bin"));
        Path test = folder.resolve(cifar10 ? "test_batch.bin" : "test.bin");
        List<String> classes = readNames(folder.resolve(cifar10 ? "batches.meta.txt" : "fine_label_names.txt"));
        int recordSize = (cifar10 ? 1 : 2) + PIXELS;
        for (Path f : train) {
            checkSize(f, recordSize);
        }
        if (Files.exists(test)) {
            checkSize(test, recordSize);
        }
        return new CifarSource(folder, cifar10 ? SourceFormat.CIFAR10 : SourceFormat.CIFAR100, classes, train,
                Files.exists(test) ? test : null);
    }

    private static List<Path> trainBatches(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches("data_batch_\\d+\\.bin"))
                    .sorted((a, b) -> Integer.compare(batchNumber(a), batchNumber(b)))
                    .toList();
        } catch (IOException e) {
            throw new DatasetException(folder + ": cannot list folder: " + e.getMessage(), e);
        }
    }

    private static int batchNumber(Path p) {
        String n = p.getFileName().toString();
        return Integer.parseInt(n.substring("data_batch_".length(), n.length() - ".bin".length()));
    }

    private static List<String> readNames(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file + ": missing class names file; it ships with the CIFAR binary archive");
        }
        try {
            List<String> names = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (names.isEmpty()) {
                throw new DatasetException(file + ": class names file is empty");
            }
            return names;
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read class names: " + e.getMessage(), e);
        }
    }

    private static void checkSize(Path file, int recordSize) {
        try {
            long size = Files.size(file);
            if (size == 0 || size % recordSize != 0) {
                throw new DatasetException(file + ": size " + size + " bytes is not a multiple of the record size "
                        + recordSize + " (" + (size / recordSize) + " whole records + " + (size % recordSize)
                        + " extra bytes); the file is truncated or not a CIFAR binary batch");
            }
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private record CifarSource(Path root, SourceFormat format, List<String> classes, List<Path> trainFiles,
                               Path testFile) implements SourceDataset {

        @Override
        public int channels() {
            return 3;
        }

        @Override
        public int height() {
            return SIDE;
        }

        @Override
        public int width() {
            return SIDE;
        }

        @Override
        public Set<Split> splits() {
            return testFile == null ? EnumSet.of(Split.TRAIN) : EnumSet.of(Split.TRAIN, Split.TEST);
        }

        @Override
        public void read(Split split, SampleSink sink) {
            List<Path> files = split == Split.TRAIN ? trainFiles : (testFile == null ? List.of() : List.of(testFile));
            for (Path f : files) {
                readFile(f, sink);
            }
        }

        private void readFile(Path file, SampleSink sink) {
            int labelBytes = format == SourceFormat.CIFAR10 ? 1 : 2;
            byte[] record = new byte[labelBytes + PIXELS];
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                for (int index = 0; ; index++) {
                    int n = in.readNBytes(record, 0, record.length);
                    if (n == 0) {
                        return;
                    }
                    if (n < record.length) { // only if the file changed since open() checked its size
                        throw new DatasetException(file + ": record " + index + " is truncated");
                    }
                    int label = record[labelBytes - 1] & 0xFF; // CIFAR-100: the second byte is the fine label
                    if (label >= classes.size()) {
                        sink.problem(new DataProblem(file + "#" + index,
                                "label " + label + " is out of range 0.." + (classes.size() - 1)));
                        continue;
                    }
                    sink.accept(new LabelledImage(file.getFileName() + "#" + index, planarToHwc(record, labelBytes), label));
                }
            } catch (IOException e) {
                throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
            }
        }

        private static DecodedImage planarToHwc(byte[] record, int offset) {
            int plane = SIDE * SIDE;
            byte[] hwc = new byte[PIXELS];
            for (int p = 0; p < plane; p++) {
                hwc[p * 3] = record[offset + p];
                hwc[p * 3 + 1] = record[offset + plane + p];
                hwc[p * 3 + 2] = record[offset + 2 * plane + p];
            }
            return new DecodedImage(SIDE, SIDE, 3, hwc);
        }
    }
}
