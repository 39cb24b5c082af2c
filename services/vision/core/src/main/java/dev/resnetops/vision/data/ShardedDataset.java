package dev.resnetops.vision.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An imported dataset opened for training: random access to the labels and images of each split.
 *
 * <p>Opening verifies every shard's SHA-256 against the manifest, so a model is never trained on data
 * that differs from the version recorded in {@link DatasetManifest#contentHash()}. After that, all
 * reads are lock-free and safe from any number of threads.
 */
public final class ShardedDataset {

    private final Path dir;
    private final DatasetManifest manifest;
    private final Map<Split, SplitShards> splits = new EnumMap<>(Split.class);

    /** The shards of one split and, for each, the dataset index of its first record. */
    private record SplitShards(ShardReader[] readers, int[] starts, int size) {

        /** Position in {@code readers} of the shard holding dataset index {@code index}. */
        int shardOf(int index) {
            int i = Arrays.binarySearch(starts, index);
            return i >= 0 ? i : -i - 2;
        }
    }

    private ShardedDataset(Path dir, DatasetManifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /** Reads {@code dir/manifest.json}, verifies every shard and opens it. */
    public static ShardedDataset open(Path dir) {
        DatasetManifest manifest = DatasetManifest.read(dir);
        String expectedContentHash = DatasetManifest.contentHash(manifest.classes(), manifest.shards());
        if (!expectedContentHash.equals(manifest.contentHash())) {
            throw new DatasetException(dir.resolve(DatasetManifest.FILE_NAME) + ": contentHash does not match the listed"
                    + " shard hashes; the manifest was edited, re-import the dataset");
        }
        ShardedDataset dataset = new ShardedDataset(dir, manifest);
        for (Split split : Split.values()) {
            List<ShardReader> readers = new ArrayList<>();
            List<Integer> starts = new ArrayList<>();
            int total = 0;
            for (ShardInfo info : manifest.shards(split)) {
                ShardReader reader = openVerified(dir, info, manifest);
                if (reader.size() == 0) {
                    continue;
                }
                readers.add(reader);
                starts.add(total);
                total += reader.size();
            }
            if (total != manifest.count(split)) {
                throw new DatasetException(dir + ": the " + split.id() + " shards hold " + total + " records but the"
                        + " manifest counts " + manifest.count(split) + "; re-import the dataset");
            }
            dataset.splits.put(split, new SplitShards(readers.toArray(ShardReader[]::new),
                    starts.stream().mapToInt(Integer::intValue).toArray(), total));
        }
        return dataset;
    }

    private static ShardReader openVerified(Path dir, ShardInfo info, DatasetManifest manifest) {
        Path file = dir.resolve(info.file());
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file + ": shard listed in the manifest is missing; the dataset is incomplete,"
                    + " re-import it");
        }
        String actual;
        try {
            actual = Sha256.ofFile(file);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read shard: " + e.getMessage(), e);
        }
        if (!actual.equals(info.sha256())) {
            throw new DatasetException(file + ": SHA-256 mismatch (manifest " + info.sha256() + ", file " + actual
                    + "); the shard was modified or damaged, re-import the dataset");
        }
        ShardReader reader = ShardReader.open(file);
        ShardHeader h = reader.header();
        if (h.split() != info.split() || h.storage() != manifest.storage() || h.channels() != manifest.channels()
                || reader.size() != info.records()) {
            throw new DatasetException(file + ": shard header (" + h.split().id() + ", " + h.storage() + ", "
                    + h.channels() + " channels, " + reader.size() + " records) disagrees with the manifest");
        }
        return reader;
    }

    public Path directory() {
        return dir;
    }

    public DatasetManifest manifest() {
        return manifest;
    }

    public List<String> classes() {
        return manifest.classes();
    }

    public int size(Split split) {
        return splits.get(split).size();
    }

    public int label(Split split, int index) {
        SplitShards s = shards(split, index);
        int k = s.shardOf(index);
        return s.readers()[k].label(index - s.starts()[k]);
    }

    /** The image at {@code index}, with the dataset's channel count; encoded images are decoded here. */
    public DecodedImage image(Split split, int index) {
        SplitShards s = shards(split, index);
        int k = s.shardOf(index);
        return s.readers()[k].image(index - s.starts()[k]);
    }

    private SplitShards shards(Split split, int index) {
        SplitShards s = splits.get(split);
        if (index < 0 || index >= s.size()) {
            throw new IndexOutOfBoundsException("index " + index + " outside the " + s.size() + " "
                    + split.id() + " records of " + dir);
        }
        return s;
    }
}
