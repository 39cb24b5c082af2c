package dev.resnetops.vision.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads an "image folder" dataset: {@code root/train/<class>/*.jpg|png} plus {@code root/val/...} or
 * {@code root/test/...}, the layout of ILSVRC after the usual preparation script.
 *
 * <p>Opening scans every file header once (cheap: no pixels are decoded) to learn the image sizes and
 * whether the dataset is grayscale; files whose header cannot be read, or that {@link ImageLimits} refuses
 * (too many bytes or pixels, a format other than JPEG/PNG), are quarantined at that point, before any
 * decoding. A train class left without images is not refused here: the importer's one rule for empty
 * classes names it, with the reason (see {@link DatasetImporter}).
 * Class names are the train folder names in sorted order, as torchvision's ImageFolder does, so class
 * indices match a Python pipeline.
 */
public final class ImageFolderReader {

    private record Entry(Path file, int label) {
    }

    /** A file quarantined while scanning, with the class whose folder it is in. */
    private record Refused(DataProblem problem, int label) {
    }

    private ImageFolderReader() {
    }

    /** True when {@code root} has a {@code train/} folder (an ImageFolder root). */
    public static boolean isImageFolderRoot(Path root) {
        return Files.isDirectory(root.resolve("train"));
    }

    public static SourceDataset open(Path root) {
        return open(root, ImageLimits.DEFAULT);
    }

    public static SourceDataset open(Path root, ImageLimits limits) {
        Path trainDir = root.resolve("train");
        if (!Files.isDirectory(trainDir)) {
            throw new DatasetException(root + ": no train/ folder; an image folder dataset needs"
                    + " train/<class>/<images> and optionally val/ or test/");
        }
        List<String> classes = listClassFolders(trainDir).stream().map(p -> p.getFileName().toString()).toList();
        if (classes.isEmpty()) {
            throw new DatasetException(trainDir + ": no class folders; put the images of each class in their own sub-folder");
        }
        Map<Split, List<Entry>> entries = new EnumMap<>(Split.class);
        Map<Split, List<Refused>> problems = new EnumMap<>(Split.class);
        HeaderSummary summary = new HeaderSummary();
        scanSplit(Split.TRAIN, trainDir, classes, limits, entries, problems, summary);
        Path testDir = Files.isDirectory(root.resolve("val")) ? root.resolve("val") : root.resolve("test");
        if (Files.isDirectory(testDir)) {
            scanSplit(Split.TEST, testDir, classes, limits, entries, problems, summary);
        }
        int channels = summary.allGray ? 1 : 3;
        return new FolderSource(root, List.copyOf(classes), channels, summary.uniformHeight(), summary.uniformWidth(),
                limits, entries, problems);
    }

    private static void scanSplit(Split split, Path splitDir, List<String> classes, ImageLimits limits,
                                  Map<Split, List<Entry>> entries, Map<Split, List<Refused>> problems,
                                  HeaderSummary summary) {
        List<Entry> found = new ArrayList<>();
        List<Refused> bad = new ArrayList<>();
        for (Path classDir : listClassFolders(splitDir)) {
            String name = classDir.getFileName().toString();
            int label = classes.indexOf(name);
            if (label < 0) {
                throw new DatasetException(classDir + ": class folder '" + name + "' is not in the train split "
                        + splitDir.resolveSibling("train") + "; every test class must also be a train class");
            }
            List<Path> files = listFiles(classDir);
            if (files.isEmpty() && split != Split.TRAIN) {
                throw new DatasetException(classDir + ": class folder is empty; add its images or remove the folder");
            }
            int images = 0;
            for (Path file : files) {
                if (!hasImageExtension(file)) {
                    bad.add(new Refused(new DataProblem(file.toString(), "not a .jpg, .jpeg or .png file; skipped"),
                            label));
                    continue;
                }
                images++;
                try {
                    ImageCodec.ImageHeader header = ImageCodec.inspect(file, limits);
                    summary.add(header);
                    found.add(new Entry(file, label));
                } catch (ImageRefusedException e) {
                    bad.add(new Refused(new DataProblem(file.toString(), e.getMessage()), label));
                } catch (IOException | RuntimeException e) {
                    bad.add(new Refused(new DataProblem(file.toString(), "unreadable image header: " + describe(e)),
                            label));
                }
            }
            if (images == 0 && split != Split.TRAIN) {
                throw new DatasetException(classDir + ": class folder holds no .jpg, .jpeg or .png images");
            }
        }
        entries.put(split, found);
        problems.put(split, bad);
    }

    private static List<Path> listClassFolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list folder: " + e.getMessage(), e);
        }
    }

    private static List<Path> listFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list folder: " + e.getMessage(), e);
        }
    }

    private static boolean hasImageExtension(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Collects, over all readable headers, whether every image is gray and whether all share one size. */
    private static final class HeaderSummary {
        boolean allGray = true;
        int width = -1;
        int height = -1;
        boolean uniform = true;

        void add(ImageCodec.ImageHeader h) {
            allGray &= h.gray();
            if (width < 0) {
                width = h.width();
                height = h.height();
            } else if (width != h.width() || height != h.height()) {
                uniform = false;
            }
        }

        int uniformWidth() {
            return uniform && width > 0 ? width : 0;
        }

        int uniformHeight() {
            return uniform && height > 0 ? height : 0;
        }
    }

    private record FolderSource(Path root, List<String> classes, int channels, int height, int width,
                                ImageLimits limits, Map<Split, List<Entry>> entries,
                                Map<Split, List<Refused>> headerProblems)
            implements SourceDataset {

        @Override
        public SourceFormat format() {
            return SourceFormat.IMAGEFOLDER;
        }

        @Override
        public Set<Split> splits() {
            return EnumSet.copyOf(entries.keySet());
        }

        @Override
        public void read(Split split, SampleSink sink) {
            headerProblems.getOrDefault(split, List.of()).forEach(r -> sink.problem(r.problem(), r.label()));
            for (Entry e : entries.getOrDefault(split, List.of())) {
                byte[] bytes;
                try {
                    // Checked again: the file may have grown since the scan.
                    limits.checkBytes(Files.size(e.file()));
                    bytes = Files.readAllBytes(e.file());
                } catch (ImageRefusedException ex) {
                    sink.problem(new DataProblem(e.file().toString(), ex.getMessage()), e.label());
                    continue;
                } catch (IOException ex) {
                    throw new DatasetException(e.file() + ": cannot read the file (" + describe(ex) + "); check that"
                            + " it is readable by the service and the disk is healthy", ex);
                }
                try {
                    DecodedImage image = ImageCodec.decode(bytes, channels, limits);
                    sink.accept(new LabelledImage(e.file().toString(), image, e.label()));
                } catch (ImageRefusedException ex) {
                    sink.problem(new DataProblem(e.file().toString(), ex.getMessage()), e.label());
                } catch (IOException | RuntimeException ex) {
                    sink.problem(new DataProblem(e.file().toString(), "corrupt or unsupported image: " + describe(ex)),
                            e.label());
                }
            }
        }
    }
}
