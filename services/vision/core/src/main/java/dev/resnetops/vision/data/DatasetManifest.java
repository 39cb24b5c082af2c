package dev.resnetops.vision.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a sharded dataset: what it holds and how to read it.
 *
 * @param formatVersion version of the shard + manifest format ({@link #CURRENT_FORMAT_VERSION})
 * @param source        path of the source dataset it was imported from
 * @param height        stored image height for RAW_UINT8; nominal (shorter side) for ENCODED
 * @param mean          per-channel mean of the train split, pixel values scaled to [0,1]
 * @param std           per-channel standard deviation of the train split, same scale
 * @param counts        number of images per split id ("train", "test")
 * @param classCounts   number of images per split id and class index
 * @param contentHash   SHA-256 over the shard hashes in order: changes whenever any stored byte does,
 *                      so it identifies this version of the dataset
 * @param problems      records skipped during import, with the reason
 * @param createdAt     ISO-8601 instant of the import
 */
public record DatasetManifest(int formatVersion, String name, String source, SourceFormat sourceFormat,
                              List<String> classes, int channels, int height, int width, StorageKind storage,
                              List<Double> mean, List<Double> std, Map<String, Integer> counts,
                              Map<String, List<Integer>> classCounts, List<ShardInfo> shards, String contentHash,
                              List<DataProblem> problems, String createdAt) {

    /** 2: the content hash covers the class names too (1 hashed the shards only). */
    public static final int CURRENT_FORMAT_VERSION = 2;
    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Newer minor versions may add fields; the format version guards incompatible changes.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public int count(Split split) {
        return counts.getOrDefault(split.id(), 0);
    }

    public List<Integer> classCounts(Split split) {
        return classCounts.getOrDefault(split.id(), List.of());
    }

    public List<ShardInfo> shards(Split split) {
        return shards.stream().filter(s -> s.split() == split).toList();
    }

    /**
     * SHA-256 (hex) of the class names and then the shard hashes, one per line, in manifest order. The
     * names belong to the content: the same pixels under other class names are a different dataset (a
     * version found by hash must never lend its labels to another source).
     */
    public static String contentHash(List<String> classes, List<ShardInfo> shards) {
        StringBuilder all = new StringBuilder();
        for (String c : classes) {
            all.append("class ").append(c).append('\n');
        }
        for (ShardInfo s : shards) {
            all.append(s.sha256()).append('\n');
        }
        return Sha256.hex(all.toString());
    }

    public static DatasetManifest read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            DatasetManifest m = JSON.readValue(Files.readAllBytes(file), DatasetManifest.class);
            if (m.formatVersion() != CURRENT_FORMAT_VERSION) {
                throw new DatasetException(file + ": dataset format version " + m.formatVersion()
                        + " is not supported (this build reads " + CURRENT_FORMAT_VERSION + "); re-import the dataset");
            }
            if (m.classes() == null || m.shards() == null || m.storage() == null || m.counts() == null) {
                throw new DatasetException(file + ": manifest lacks classes, shards, storage or counts");
            }
            return m;
        } catch (NoSuchFileException e) {
            throw new DatasetException(file + ": missing; this directory is not an imported dataset", e);
        } catch (JacksonException e) {
            throw new DatasetException(file + ": not a valid manifest: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public void write(Path dir) throws IOException {
        Files.write(dir.resolve(FILE_NAME), JSON.writeValueAsBytes(this));
    }
}
