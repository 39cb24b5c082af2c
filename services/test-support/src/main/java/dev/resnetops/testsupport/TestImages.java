package dev.resnetops.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Hostile image files built in the tests, so no large or dangerous binary has to be committed. */
public final class TestImages {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private TestImages() {
    }

    /**
     * A complete, valid 8-bit grayscale PNG of {@code width} x {@code height} black pixels. All-zero rows
     * deflate about 1000-fold, so 20,000 x 20,000 (400 MB of pixels, 1.2 GB once decoded as RGB) is a file
     * of about 400 KB: the decompression bomb every image reader must refuse from the header.
     */
    public static Path pixelBombPng(Path file, int width, int height) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(PNG_SIGNATURE);
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream fields = new DataOutputStream(ihdr);
            fields.writeInt(width);
            fields.writeInt(height);
            fields.write(new byte[] {8, 0, 0, 0, 0}); // 8 bits, grayscale, deflate, no filter, no interlace
            chunk(out, "IHDR", ihdr.toByteArray());
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            try (DeflaterOutputStream deflate = new DeflaterOutputStream(idat, new Deflater(9), 1 << 16)) {
                byte[] row = new byte[width + 1]; // filter byte 0, then the pixels
                for (int y = 0; y < height; y++) {
                    deflate.write(row);
                }
            }
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
        }
        return file;
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream chunk = new DataOutputStream(out);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        chunk.writeInt(data.length);
        chunk.write(typeBytes);
        chunk.write(data);
        chunk.writeInt((int) crc.getValue());
        chunk.flush();
    }
}
