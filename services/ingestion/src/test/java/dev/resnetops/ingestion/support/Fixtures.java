package dev.resnetops.ingestion.support;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Datasets and archives built inside the tests, so no binary fixture has to be committed. */
public final class Fixtures {

    public static final List<String> CLASSES = List.of("circle", "square");
    public static final int IMAGES_PER_CLASS = 4;

    private Fixtures() {
    }

    /**
     * An image folder dataset: train/ and test/ with {@value #IMAGES_PER_CLASS} random 8x8 RGB PNGs per
     * class. Different {@code seed}s give different content (so a different version).
     */
    public static Path imageFolder(Path root, long seed) throws IOException {
        Random random = new Random(seed);
        for (String split : List.of("train", "test")) {
            for (String cls : CLASSES) {
                Path dir = Files.createDirectories(root.resolve(split).resolve(cls));
                for (int i = 0; i < IMAGES_PER_CLASS; i++) {
                    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            img.setRGB(x, y, random.nextInt(0x1000000));
                        }
                    }
                    ImageIO.write(img, "png", dir.resolve(cls + "-" + i + ".png").toFile());
                }
            }
        }
        return root;
    }

    /** Writes a file with garbage bytes and an image's name, as a corrupt download would. */
    public static Path garbagePng(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, "this is not a PNG, just text pretending".getBytes(StandardCharsets.UTF_8));
    }

    /** Zips every file under {@code dir}, entries named relative to {@code dir}'s parent (one top folder). */
    public static Path zipFolder(Path dir, Path zip) throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip); Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putArchiveEntry(new ZipArchiveEntry(dir.getParent().relativize(file).toString()));
                Files.copy(file, out);
                out.closeArchiveEntry();
            }
        }
        return zip;
    }

    /** A zip with the given entries (name, text content) exactly as named, however hostile. */
    public static Path zip(Path zip, String... namesAndContents) throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                out.putArchiveEntry(new ZipArchiveEntry(namesAndContents[i]));
                out.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        return zip;
    }

    /** A zip whose one entry {@code name} is {@code bytes} of zeros, maximally compressed. */
    public static Path zipOfZeros(Path zip, String name, long bytes) throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            out.setLevel(9);
            out.putArchiveEntry(new ZipArchiveEntry(name));
            writeZeros(out, bytes);
            out.closeArchiveEntry();
        }
        return zip;
    }

    /** A zip with a unix symbolic link entry {@code name} pointing at {@code target}. */
    public static Path zipWithSymlink(Path zip, String name, String target) throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            ZipArchiveEntry link = new ZipArchiveEntry(name);
            link.setUnixMode(0120777);
            out.putArchiveEntry(link);
            out.write(target.getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        return zip;
    }

    /** A tar (gzipped when the name ends in .gz/.tgz) with a file and then a symbolic link. */
    public static Path tarWithSymlink(Path tar, String linkName, String target) throws IOException {
        try (TarArchiveOutputStream out = tarStream(tar)) {
            addTarFile(out, "data/readme.txt", "hello");
            TarArchiveEntry link = new TarArchiveEntry(linkName, TarArchiveEntry.LF_SYMLINK);
            link.setLinkName(target);
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
            addTarFile(out, linkName + "/evil.txt", "written through the link");
        }
        return tar;
    }

    /** A tar with a hard link entry. */
    public static Path tarWithHardLink(Path tar, String linkName, String target) throws IOException {
        try (TarArchiveOutputStream out = tarStream(tar)) {
            TarArchiveEntry link = new TarArchiveEntry(linkName, TarArchiveEntry.LF_LINK);
            link.setLinkName(target);
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        }
        return tar;
    }

    /** A tar with one file entry whose name is kept exactly (absolute paths included). */
    public static Path tarWithEntry(Path tar, String name, String content) throws IOException {
        try (TarArchiveOutputStream out = tarStream(tar)) {
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            entry.setSize(bytes.length);
            out.putArchiveEntry(entry);
            out.write(bytes);
            out.closeArchiveEntry();
        }
        return tar;
    }

    /** A tar with a FIFO entry. */
    public static Path tarWithFifo(Path tar, String name) throws IOException {
        try (TarArchiveOutputStream out = tarStream(tar)) {
            out.putArchiveEntry(new TarArchiveEntry(name, TarArchiveEntry.LF_FIFO));
            out.closeArchiveEntry();
        }
        return tar;
    }

    /** Tars (gzipped for .tar.gz/.tgz) every file under {@code dir}, named relative to {@code base}. */
    public static Path tarFolder(Path dir, Path base, Path tar) throws IOException {
        try (TarArchiveOutputStream out = tarStream(tar); Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.toFile(), base.relativize(file).toString());
                out.putArchiveEntry(entry);
                Files.copy(file, out);
                out.closeArchiveEntry();
            }
        }
        return tar;
    }

    /** A tar.gz whose one entry is {@code bytes} of zeros. */
    public static Path tarGzOfZeros(Path tar, String name, long bytes) throws IOException {
        try (TarArchiveOutputStream out = tarStream(tar)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(bytes);
            out.putArchiveEntry(entry);
            writeZeros(out, bytes);
            out.closeArchiveEntry();
        }
        return tar;
    }

    private static void addTarFile(TarArchiveOutputStream out, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        out.putArchiveEntry(entry);
        out.write(bytes);
        out.closeArchiveEntry();
    }

    private static TarArchiveOutputStream tarStream(Path tar) throws IOException {
        String name = tar.getFileName().toString();
        OutputStream file = Files.newOutputStream(tar);
        OutputStream data = name.endsWith(".gz") || name.endsWith(".tgz") ? new GzipCompressorOutputStream(file) : file;
        TarArchiveOutputStream out = new TarArchiveOutputStream(data);
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        return out;
    }

    private static void writeZeros(OutputStream out, long bytes) throws IOException {
        byte[] zeros = new byte[1 << 16];
        for (long left = bytes; left > 0; left -= zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
    }
}
