package dev.resnetops.vision.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes the records of one split into shard files of bounded size ({@code train-00000.shard}, ...).
 *
 * <p>Records (see {@link ShardHeader} for the header):
 * <ul>
 *   <li>RAW_UINT8: int32 label, then height*width*channels pixel bytes (HWC). Fixed size, so record
 *       {@code i} starts at {@code 32 + i * recordSize}.</li>
 *   <li>ENCODED: int32 label, int32 length, then {@code length} JPEG/PNG bytes. After the last record
 *       comes an offset table (int64 start of each record), int32 record count and the end magic "RNSE",
 *       so a reader finds any record with one lookup.</li>
 * </ul>
 * The SHA-256 of each file is computed while writing, so no second pass over the data is needed.
 */
public final class ShardWriter implements AutoCloseable {

    /** Default bound on a shard file: big enough for few files, small enough to copy and verify quickly. */
    public static final long DEFAULT_MAX_SHARD_BYTES = 64L << 20;

    private final Path dir;
    private final ShardHeader header;
    private final long maxShardBytes;
    private final List<ShardInfo> finished = new ArrayList<>();

    private DataOutputStream out;
    private MessageDigest digest;
    private String currentFile;
    private long position;
    private int records;
    private long[] offsets = new long[1024];

    public ShardWriter(Path dir, Split split, StorageKind storage, int height, int width, int channels,
                       long maxShardBytes) {
        if (maxShardBytes <= ShardHeader.SIZE) {
            throw new IllegalArgumentException("maxShardBytes must exceed the header size, got " + maxShardBytes);
        }
        this.dir = dir;
        this.header = new ShardHeader(ShardHeader.CURRENT_VERSION, storage, split, height, width, channels);
        this.maxShardBytes = maxShardBytes;
    }

    /** Appends one record; {@code payload} is the HWC pixels (raw) or the encoded image bytes (encoded). */
    public void write(int label, byte[] payload) {
        boolean raw = header.storage() == StorageKind.RAW_UINT8;
        if (raw && payload.length != header.height() * header.width() * header.channels()) {
            throw new IllegalArgumentException("raw record must have " + header.height() * header.width()
                    * header.channels() + " pixel bytes, got " + payload.length);
        }
        long recordSize = (raw ? 4 : 8) + payload.length;
        long trailer = raw ? 0 : 8L * (records + 1) + 8;
        try {
            if (out != null && records > 0 && position + recordSize + trailer > maxShardBytes) {
                closeCurrent();
            }
            if (out == null) {
                openNext();
            }
            if (records == offsets.length) {
                offsets = Arrays.copyOf(offsets, records * 2);
            }
            offsets[records++] = position;
            out.writeInt(label);
            if (!raw) {
                out.writeInt(payload.length);
            }
            out.write(payload);
            position += recordSize;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write shard " + dir.resolve(currentFile), e);
        }
    }

    /** Closes the last shard and returns every shard written, in order. */
    public List<ShardInfo> finish() {
        try {
            if (out != null) {
                closeCurrent();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish shard " + dir.resolve(currentFile), e);
        }
        return List.copyOf(finished);
    }

    /** Releases the open file without finishing it; used when an import fails and is being discarded. */
    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // The shard is being thrown away with its temporary directory; nothing useful to report.
            }
            out = null;
        }
    }

    private void openNext() throws IOException {
        currentFile = String.format("%s-%05d.shard", header.split().id(), finished.size());
        digest = Sha256.newDigest();
        out = new DataOutputStream(new BufferedOutputStream(
                new DigestOutputStream(Files.newOutputStream(dir.resolve(currentFile)), digest), 1 << 16));
        out.write(header.toBytes());
        position = ShardHeader.SIZE;
        records = 0;
    }

    private void closeCurrent() throws IOException {
        if (header.storage() == StorageKind.ENCODED) {
            for (int i = 0; i < records; i++) {
                out.writeLong(offsets[i]);
            }
            out.writeInt(records);
            out.writeInt(ShardHeader.END_MAGIC);
        }
        out.close();
        out = null;
        finished.add(new ShardInfo(currentFile, header.split(), records, HexFormat.of().formatHex(digest.digest())));
    }
}
