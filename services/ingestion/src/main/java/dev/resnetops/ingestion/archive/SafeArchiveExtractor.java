package dev.resnetops.ingestion.archive;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.utils.InputStreamStatistics;

/**
 * Unpacks a zip, tar or tar.gz dataset archive into a folder, refusing the whole archive at the first
 * entry that could hurt the host: paths that escape the folder, links (a later entry written "through"
 * a link lands anywhere), devices and FIFOs, and more data than {@link ArchiveLimits} allow.
 *
 * <p>Limits are enforced on the bytes actually written while streaming, never on the sizes the
 * entry headers claim, since a decompression bomb lies exactly there. On refusal the caller deletes the
 * folder; nothing is ever written outside it.
 */
public final class SafeArchiveExtractor {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int UNIX_TYPE_MASK = 0170000;
    private static final int UNIX_REGULAR = 0100000;
    private static final int UNIX_DIRECTORY = 0040000;
    /** Metadata folders/files that archivers add; they never make a dataset root ambiguous. */
    private static final Set<String> ARCHIVER_LITTER = Set.of("__MACOSX", ".DS_Store");
    /** Split folders of an image-folder dataset: a lone {@code train/} is the data, not a wrapper folder. */
    private static final Set<String> SPLIT_FOLDERS = Set.of("train", "val", "test");

    private final ArchiveLimits limits;

    public SafeArchiveExtractor(ArchiveLimits limits) {
        this.limits = limits;
    }

    /**
     * Unpacks {@code archive} into {@code folder}, which is wiped first.
     *
     * @throws ArchiveRejectedException when the archive breaks a rule; the message names the entry
     * @throws IOException              when the archive cannot be read (corrupt, truncated) or the disk fails
     */
    public Extraction extract(Path archive, ArchiveFormat format, Path folder) throws IOException {
        deleteTree(folder);
        Files.createDirectories(folder);
        Budget budget = new Budget();
        switch (format) {
            case ZIP -> extractZip(archive, folder, budget);
            case TAR -> extractTar(archive, folder, budget, false);
            case TAR_GZ -> extractTar(archive, folder, budget, true);
        }
        if (budget.entries == 0) {
            throw new ArchiveRejectedException("archive " + archive.getFileName() + " is empty; put the dataset"
                    + " files (IDX files, CIFAR batches or train/<class>/ folders) in it");
        }
        return new Extraction(folder, datasetRoot(folder), budget.entries, budget.bytes);
    }

    private void extractZip(Path archive, Path folder, Budget budget) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntriesInPhysicalOrder())) {
                String name = entry.getName();
                budget.countEntry(name);
                Path destination = EntryPaths.resolveInside(folder, name);
                if (entry.isUnixSymlink()) {
                    throw link(name, "a symbolic link");
                }
                int unixType = entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX
                        ? entry.getUnixMode() & UNIX_TYPE_MASK : 0;
                if (unixType != 0 && unixType != UNIX_REGULAR && unixType != UNIX_DIRECTORY) {
                    throw special(name, "a device, FIFO or socket");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                if (!zip.canReadEntryData(entry)) {
                    throw new ArchiveRejectedException("archive entry '" + name + "' is encrypted or uses an"
                            + " unsupported compression method; re-create the archive without encryption, using"
                            + " DEFLATE or STORE");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    LongSupplier compressed = in instanceof InputStreamStatistics stats
                            ? stats::getCompressedCount : entry::getCompressedSize;
                    write(in, compressed, destination, folder, name, budget);
                }
            }
        }
    }

    private void extractTar(Path archive, Path folder, Budget budget, boolean gzip) throws IOException {
        try (CountingInputStream file = new CountingInputStream(new BufferedInputStream(Files.newInputStream(archive)));
             InputStream data = gzip ? new GzipCompressorInputStream(file, true) : file;
             TarArchiveInputStream tar = new TarArchiveInputStream(data)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                budget.countEntry(name);
                Path destination = EntryPaths.resolveInside(folder, name);
                if (entry.isSymbolicLink()) {
                    throw link(name, "a symbolic link (to '" + entry.getLinkName() + "')");
                }
                if (entry.isLink()) {
                    throw link(name, "a hard link (to '" + entry.getLinkName() + "')");
                }
                if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                    throw special(name, "a device or FIFO");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                if (!entry.isFile() || entry.isSparse()) {
                    throw special(name, "an unsupported tar entry type '" + (char) entry.getLinkFlag() + "'");
                }
                write(tar, file::count, destination, folder, name, budget);
            }
        }
    }

    private void write(InputStream in, LongSupplier compressedRead, Path destination, Path folder, String name,
                       Budget budget) throws IOException {
        if (destination.equals(folder.toAbsolutePath().normalize())) {
            throw new ArchiveRejectedException("archive entry '" + name + "' is a file named like the archive root;"
                    + " refusing the archive");
        }
        Files.createDirectories(destination.getParent());
        long compressedAtStart = compressedRead.getAsLong();
        long written = 0;
        byte[] buffer = new byte[BUFFER_BYTES];
        try (OutputStream out = Files.newOutputStream(destination, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                budget.addBytes(n, name);
                if (written > ArchiveLimits.RATIO_GRACE_BYTES) {
                    long compressed = Math.max(1, compressedRead.getAsLong() - compressedAtStart);
                    if (written / compressed > limits.maxRatio()) {
                        throw new ArchiveRejectedException("archive entry '" + name + "' expands more than "
                                + limits.maxRatio() + "x (" + written + " bytes from " + compressed + " compressed"
                                + " so far, limit mlops.ingestion.archive.max-compression-ratio); refusing the"
                                + " archive as a likely decompression bomb");
                    }
                }
                out.write(buffer, 0, n);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ArchiveRejectedException("archive entry '" + name + "' appears twice (or collides with"
                    + " another entry); refusing the archive because it is ambiguous which copy is the data");
        }
    }

    private static ArchiveRejectedException link(String name, String what) {
        return new ArchiveRejectedException("archive entry '" + name + "' is " + what + "; links are not allowed in"
                + " dataset archives, refusing the archive (re-create it with the files themselves, e.g."
                + " tar --dereference or zip without --symlinks)");
    }

    private static ArchiveRejectedException special(String name, String what) {
        return new ArchiveRejectedException("archive entry '" + name + "' is " + what + "; only files and folders"
                + " are allowed in dataset archives, refusing the archive");
    }

    /** The single top-level folder when the archive wraps everything in one, else the folder itself. */
    static Path datasetRoot(Path folder) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(folder)) {
            children = list.filter(p -> !ARCHIVER_LITTER.contains(p.getFileName().toString())).toList();
        }
        if (children.size() == 1 && Files.isDirectory(children.get(0))
                && !SPLIT_FOLDERS.contains(children.get(0).getFileName().toString().toLowerCase(Locale.ROOT))) {
            return children.get(0);
        }
        return folder;
    }

    /** Removes {@code dir} and everything below it, without following links. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private final class Budget {
        long bytes;
        int entries;

        void countEntry(String name) {
            if (++entries > limits.maxEntries()) {
                throw new ArchiveRejectedException("archive has more than " + limits.maxEntries() + " entries (at '"
                        + name + "', limit mlops.ingestion.archive.max-entries); refusing the archive. Raise the"
                        + " limit if the dataset really has that many files");
            }
        }

        void addBytes(long n, String name) {
            bytes += n;
            if (bytes > limits.maxBytes()) {
                throw new ArchiveRejectedException("archive expands to more than " + humanBytes(limits.maxBytes())
                        + " (at entry '" + name + "', limit mlops.ingestion.archive.max-extracted-bytes); refusing"
                        + " the archive. If the dataset really is this large, raise the limit; otherwise the archive"
                        + " is a decompression bomb");
            }
        }
    }

    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** Counts the compressed bytes the decompressor has pulled from the file, for the ratio rule. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
