package dev.resnetops.vision.data;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The fixed 32-byte header at the start of every shard file (big-endian):
 *
 * <pre>
 * offset size field
 *  0     4    magic "RNSD"
 *  4     2    format version (1)
 *  6     1    storage kind: 0 = RAW_UINT8, 1 = ENCODED
 *  7     1    split: 0 = train, 1 = test
 *  8     4    height   } raw: the size of every record's image;
 * 12     4    width    } encoded: the nominal size (shorter side after resizing)
 * 16     4    channels
 * 20    12    reserved, zero
 * </pre>
 *
 * The header is self-describing so a shard can be checked on its own, without the manifest.
 */
public record ShardHeader(int version, StorageKind storage, Split split, int height, int width, int channels) {

    public static final int SIZE = 32;
    public static final int MAGIC = 0x524E5344; // "RNSD"
    /** Written after the offset table at the end of an ENCODED shard, so truncation is detected. */
    public static final int END_MAGIC = 0x524E5345; // "RNSE"
    public static final int CURRENT_VERSION = 1;

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(MAGIC).putShort((short) version).put((byte) storage.ordinal()).put((byte) split.ordinal());
        b.putInt(height).putInt(width).putInt(channels);
        return b.array();
    }

    /** Parses and validates a header; {@code file} is only used to name the file in errors. */
    public static ShardHeader parse(ByteBuffer b, Path file) {
        if (b.remaining() < SIZE) {
            throw new DatasetException(file + ": shard is shorter than its " + SIZE + "-byte header");
        }
        int magic = b.getInt(0);
        if (magic != MAGIC) {
            throw new DatasetException(file + ": not a shard file (magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x" + Integer.toHexString(MAGIC) + ")");
        }
        int version = b.getShort(4);
        if (version != CURRENT_VERSION) {
            throw new DatasetException(file + ": shard format version " + version + " is not supported (this build reads "
                    + CURRENT_VERSION + "); re-import the dataset or upgrade");
        }
        int kind = b.get(6);
        int split = b.get(7);
        if (kind < 0 || kind >= StorageKind.values().length || split < 0 || split >= Split.values().length) {
            throw new DatasetException(file + ": corrupt shard header (storage kind " + kind + ", split " + split + ")");
        }
        return new ShardHeader(version, StorageKind.values()[kind], Split.values()[split],
                b.getInt(8), b.getInt(12), b.getInt(16));
    }
}
