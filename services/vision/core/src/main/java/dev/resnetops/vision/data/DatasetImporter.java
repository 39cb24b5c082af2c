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
 */
public final class DatasetImporter {

    private static final int PROGRESS_EVERY = 10_000;

    private DatasetImporter() {
    }

    /** Recognises the format of {@code source} and opens it with the matching reader. */
    public static SourceDataset openSource(Path source) {
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
            return ImageFolderReader.open(source);
        }
        throw new DatasetException(source + ": unrecognised dataset layout; expected IDX files"
                + " (train-images-idx3-ubyte[.gz] ...), CIFAR binaries (data_batch_1.bin or train.bin)"
                + " or an image folder (train/<class>/<images>)");
    }

    public static DatasetManifest importDataset(Path source, Path outDir, ImportOptions options) {
        if (Files.exists(outDir)) {
            throw new DatasetException(outDir + ": already exists; delete it or import into another directory");
        }
        SourceDataset src = openSource(source);
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
            try (ShardWriter writer = new ShardWriter(dir, split, layout.storage(), layout.height(), layout.width(),
                    src.channels(), options.maxShardBytes())) {
                src.read(split, new SampleSink() {
                    int seen;

                    @Override
                    public void accept(LabelledImage item) {
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
                        problems.add(problem);
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
