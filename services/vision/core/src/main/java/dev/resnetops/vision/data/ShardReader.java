package dev.resnetops.vision.data;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random access to the records of one shard file (layout in {@link ShardWriter} and {@link ShardHeader}).
 *
 * <p>The file is memory-mapped: the OS pages it in on demand and shares it between processes, and
 * only absolute reads are used on the buffer, so any number of threads can read concurrently.
 */
public final class ShardReader {

    private final Path file;
    private final ShardHeader header;
    private final MappedByteBuffer data;
    private final int records;
    private final int rawRecordSize;
    private final int offsetTableStart;

    private ShardReader(Path file, ShardHeader header, MappedByteBuffer data) {
        this.file = file;
        this.header = header;
        this.data = data;
        int payloadEnd = data.capacity();
        if (header.storage() == StorageKind.RAW_UINT8) {
            rawRecordSize = 4 + header.height() * header.width() * header.channels();
            long body = payloadEnd - ShardHeader.SIZE;
            if (body % rawRecordSize != 0) {
                throw new DatasetException(file + ": raw shard body of " + body + " bytes is not a whole number of "
                        + rawRecordSize + "-byte records; the file is truncated");
            }
            records = (int) (body / rawRecordSize);
            offsetTableStart = -1;
        } else {
            rawRecordSize = -1;
            if (payloadEnd < ShardHeader.SIZE + 8 || data.getInt(payloadEnd - 4) != ShardHeader.END_MAGIC) {
                throw new DatasetException(file + ": encoded shard has no end marker; the file is truncated");
            }
            records = data.getInt(payloadEnd - 8);
            offsetTableStart = payloadEnd - 8 - records * 8;
            if (records < 0 || offsetTableStart < ShardHeader.SIZE) {
                throw new DatasetException(file + ": encoded shard has a corrupt record count " + records);
            }
        }
    }

    /** Maps a shard file and checks its header and its length. */
    public static ShardReader open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new DatasetException(file + ": shard is larger than 2 GiB; re-import with a smaller shard size");
            }
            MappedByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            return new ShardReader(file, ShardHeader.parse(data, file), data);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot open shard: " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    public ShardHeader header() {
        return header;
    }

    public int size() {
        return records;
    }

    public int label(int index) {
        return data.getInt(recordStart(index));
    }

    /** The stored bytes of record {@code index}: HWC pixels (raw) or the encoded image (encoded). */
    public byte[] payload(int index) {
        int start = recordStart(index);
        int length;
        int payloadStart;
        if (rawRecordSize > 0) {
            length = rawRecordSize - 4;
            payloadStart = start + 4;
        } else {
            length = data.getInt(start + 4);
            payloadStart = start + 8;
            if (length < 0 || payloadStart + (long) length > offsetTableStart) {
                throw new DatasetException(file + ": record " + index + " has a corrupt length " + length);
            }
        }
        byte[] out = new byte[length];
        data.get(payloadStart, out);
        return out;
    }

    /** The image of record {@code index}, decoding it when the shard is encoded. */
    public DecodedImage image(int index) {
        byte[] payload = payload(index);
        if (rawRecordSize > 0) {
            return new DecodedImage(header.width(), header.height(), header.channels(), payload);
        }
        try {
            return ImageCodec.decode(payload, header.channels());
        } catch (IOException e) {
            throw new DatasetException(file + ": record " + index + " does not decode: " + e.getMessage(), e);
        }
    }

    private int recordStart(int index) {
        if (index < 0 || index >= records) {
            throw new IndexOutOfBoundsException("record " + index + " of " + records + " in " + file);
        }
        if (rawRecordSize > 0) {
            return ShardHeader.SIZE + index * rawRecordSize;
        }
        long start = data.getLong(offsetTableStart + index * 8);
        if (start < ShardHeader.SIZE || start >= offsetTableStart) {
            throw new DatasetException(file + ": record " + index + " has a corrupt offset " + start);
        }
        return (int) start;
    }
}
