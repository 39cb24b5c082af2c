package dev.resnetops.vision.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Converts a source dataset (IDX, image folder, CIFAR-10/100) into shards + {@code manifest.json}.
 *
 * <p>The import is atomic: everything is written into a hidden sibling directory that is renamed to
 * {@code outDir} only when complete, so a crash or an error never leaves a half-written dataset, and an
 * existing {@code outDir} is never touched (importing into it is refused).
 *
 * <p>One rule for every format: a class left with no training image fails the import, with a message
 * that names each such class and why (its folder is empty, no record carries its label, or all of its
 * images were quarantined). A model cannot learn a class it never sees, and a READY dataset with such a
 * class would only fail later, in a training job, further from the cause.
 *
 * <p>The import stops with a {@link DatasetException} when its thread is interrupted (a caller's time
 * limit), checked between records.
 */
public final class DatasetImporter {

    private static final int PROGRESS_EVERY = 10_000;
    /** An error message lists this many empty classes, then counts the rest. */
    private static final int MAX_CLASSES_NAMED = 10;

    private DatasetImporter() {
    }

    /** Recognises the format of {@code source} and opens it with the matching reader. */
    public static SourceDataset openSource(Path source) {
        return openSource(source, ImageLimits.DEFAULT);
    }

    /** {@link #openSource(Path)} with the limits that image files of an image folder must satisfy. */
    public static SourceDataset openSource(Path source, ImageLimits imageLimits) {
        if (!Files.isDirectory(source)) {
            throw new DatasetException(source + ": not a directory; pass the folder holding the dataset files");
        }
        if (IdxReader.isIdxDirectory(source)) {
            return IdxReader.open(source);
        }
        if (CifarReader.locate(source) != null) {
            return CifarReader.open(source);
        }
        if (ImageFolderReader.isImageFolderRoot(source)) {
            return ImageFolderReader.open(source, imageLimits);
        }
        throw new DatasetException(source + ": unrecognised dataset layout; expected IDX files"
                + " (train-images-idx3-ubyte[.gz] ...), CIFAR binaries (data_batch_1.bin or train.bin)"
                + " or an image folder (train/<class>/<images>)");
    }

    public static DatasetManifest importDataset(Path source, Path outDir, ImportOptions options) {
        if (Files.exists(outDir)) {
            throw new DatasetException(outDir + ": already exists; delete it or import into another directory");
        }
        SourceDataset src = openSource(source, options.imageLimits());
        Path absoluteOut = outDir.toAbsolutePath();
        Path temp = absoluteOut.resolveSibling("." + absoluteOut.getFileName() + ".importing-" + UUID.randomUUID());
        try {
            Files.createDirectories(temp);
            DatasetManifest manifest = writeShards(src, temp, options);
            manifest.write(temp);
            Files.move(temp, absoluteOut, StandardCopyOption.ATOMIC_MOVE);
            options.progress().accept("imported " + source + " into " + outDir + " (content " 
                    + manifest.contentHash().substring(0, 12) + ", " + manifest.problems().size() + " problems)");
            return manifest;
        } catch (IOException e) {
            throw new DatasetException(outDir + ": import failed: " + e.getMessage(), e);
        } finally {
            deleteTree(temp);
        }
    }

    private static DatasetManifest writeShards(SourceDataset src, Path dir, ImportOptions options) {
        StoredLayout layout = StoredLayout.choose(src, options);
        List<ShardInfo> shards = new ArrayList<>();
        List<DataProblem> problems = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, List<Integer>> classCounts = new LinkedHashMap<>();
        PixelStatistics stats = new PixelStatistics(src.channels());
        for (Split split : src.splits()) {
            int[] perClass = new int[src.classes().size()];
            QuarantineByClass quarantine = new QuarantineByClass(src.classes().size());
            try (ShardWriter writer = new ShardWriter(dir, split, layout.storage(), layout.height(), layout.width(),
                    src.channels(), options.maxShardBytes())) {
                src.read(split, new SampleSink() {
                    int seen;

                    @Override
                    public void accept(LabelledImage item) {
                        stopIfInterrupted(src);
                        DecodedImage stored = layout.toStored(item, problems);
                        if (stored != null) {
                            writer.write(item.label(), layout.payload(stored, options));
                            perClass[item.label()]++;
                            if (split == Split.TRAIN) {
                                stats.add(stored);
                            }
                        }
                        if (++seen % PROGRESS_EVERY == 0) {
                            options.progress().accept(split.id() + ": " + seen + " images");
                        }
                    }

                    @Override
                    public void problem(DataProblem problem) {
                        stopIfInterrupted(src);
                        problems.add(problem);
                        quarantine.add(problem, -1);
                        options.progress().accept("quarantined " + problem);
                    }

                    @Override
                    public void problem(DataProblem problem, int label) {
                        stopIfInterrupted(src);
                        problems.add(problem);
                        quarantine.add(problem, label);
                        options.progress().accept("quarantined " + problem);
                    }
                });
                shards.addAll(writer.finish());
            }
            int total = java.util.Arrays.stream(perClass).sum();
            if (total == 0) {
                throw new DatasetException(src.root() + ": the " + split.id() + " split has no usable images ("
                        + problems.size() + " problems, first: " + (problems.isEmpty() ? "none" : problems.get(0)) + ")");
            }
            if (split == Split.TRAIN) {
                requireTrainingImagesForEveryClass(src, perClass, quarantine);
            }
            counts.put(split.id(), total);
            classCounts.put(split.id(), java.util.Arrays.stream(perClass).boxed().toList());
            options.progress().accept(split.id() + ": " + total + " images stored");
        }
        String name = options.name() != null ? options.name() : src.root().toAbsolutePath().getFileName().toString();
        return new DatasetManifest(DatasetManifest.CURRENT_FORMAT_VERSION, name, src.root().toAbsolutePath().toString(),
                src.format(), src.classes(), src.channels(), layout.height(), layout.width(), layout.storage(),
                stats.mean(), stats.std(), counts, classCounts, List.copyOf(shards),
                DatasetManifest.contentHash(src.classes(), shards), List.copyOf(problems), Instant.now().toString());
    }

    private static void stopIfInterrupted(SourceDataset src) {
        if (Thread.currentThread().isInterrupted()) {
            throw new DatasetException(src.root() + ": import stopped before it finished (interrupted)");
        }
    }

    /** The one rule for empty classes; see the class comment. */
    private static void requireTrainingImagesForEveryClass(SourceDataset src, int[] perClass,
                                                           QuarantineByClass quarantine) {
        List<String> empty = new ArrayList<>();
        for (int label = 0; label < perClass.length; label++) {
            if (perClass[label] == 0) {
                empty.add("'" + src.classes().get(label) + "' (" + quarantine.whyEmpty(label, src.format()) + ")");
            }
        }
        if (empty.isEmpty()) {
            return;
        }
        boolean one = empty.size() == 1;
        String listed = empty.size() <= MAX_CLASSES_NAMED ? String.join(", ", empty)
                : String.join(", ", empty.subList(0, MAX_CLASSES_NAMED)) + " and " + (empty.size() - MAX_CLASSES_NAMED)
                + " more";
        throw new DatasetException(src.root() + ": " + (one ? "class " : empty.size() + " classes have no training"
                + " images: ") + listed + (one ? " has no training images" : "") + quarantine.unlabelledNote()
                + ". A model cannot learn a class it never sees: add training images for " + (one ? "it" : "them")
                + " or remove " + (one ? "it" : "them") + " from the dataset");
    }

    /** The train split's quarantined records per class, to explain a class that ends up empty. */
    private static final class QuarantineByClass {
        private final int[] counts;
        private final DataProblem[] first;
        private int unlabelled;
        private DataProblem firstUnlabelled;

        QuarantineByClass(int classes) {
            counts = new int[classes];
            first = new DataProblem[classes];
        }

        void add(DataProblem problem, int label) {
            if (label >= 0 && label < counts.length) {
                if (counts[label]++ == 0) {
                    first[label] = problem;
                }
            } else if (unlabelled++ == 0) {
                firstUnlabelled = problem;
            }
        }

        String whyEmpty(int label, SourceFormat format) {
            if (counts[label] > 0) {
                return (counts[label] == 1 ? "its only training image was" : "all " + counts[label]
                        + " of its training images were") + " quarantined; first: " + first[label];
            }
            return format == SourceFormat.IMAGEFOLDER ? "its train folder holds no images"
                    : "no training record carries its label";
        }

        /** Records whose label was unusable may have been meant for the empty classes: say so once. */
        String unlabelledNote() {
            return unlabelled == 0 ? "" : "; " + unlabelled + " training record" + (unlabelled == 1 ? " was" : "s were")
                    + " quarantined for a bad label (first: " + firstUnlabelled + ")";
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove temporary import directory " + dir, e);
        }
    }
}
