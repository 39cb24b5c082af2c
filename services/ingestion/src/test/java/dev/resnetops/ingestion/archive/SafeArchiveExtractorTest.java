package dev.resnetops.ingestion.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.ingestion.support.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extractor's rules, on archives built in the test; no infrastructure. */
class SafeArchiveExtractorTest {

    private static final ArchiveLimits GENEROUS = new ArchiveLimits(64L << 20, 1000, 1000);

    @TempDir
    Path tmp;
    Path target;

    @BeforeEach
    void setUp() {
        // The target sits one level down, so "outside the target" is still inside the temp dir and checkable.
        target = tmp.resolve("work").resolve("extract");
    }

    private Extraction extract(Path archive, ArchiveLimits limits) throws IOException {
        return new SafeArchiveExtractor(limits).extract(archive, ArchiveFormat.of(archive).orElseThrow(), target);
    }

    @Test
    void recognisesArchiveFormatsByName() {
        assertThat(ArchiveFormat.of(Path.of("a/b.ZIP"))).contains(ArchiveFormat.ZIP);
        assertThat(ArchiveFormat.of(Path.of("b.tar"))).contains(ArchiveFormat.TAR);
        assertThat(ArchiveFormat.of(Path.of("b.tar.gz"))).contains(ArchiveFormat.TAR_GZ);
        assertThat(ArchiveFormat.of(Path.of("b.tgz"))).contains(ArchiveFormat.TAR_GZ);
        assertThat(ArchiveFormat.of(Path.of("fashion-mnist"))).isEmpty();
        assertThat(ArchiveFormat.of(Path.of("train-images-idx3-ubyte.gz"))).isEmpty();
    }

    @Test
    void usesTheSingleTopLevelFolderAsDatasetRoot() throws IOException {
        Path data = Fixtures.imageFolder(tmp.resolve("src").resolve("pets"), 1);
        Path zip = Fixtures.zipFolder(data, tmp.resolve("pets.zip"));

        Extraction extraction = extract(zip, GENEROUS);

        assertThat(extraction.datasetRoot()).isEqualTo(target.toAbsolutePath().normalize().resolve("pets"));
        assertThat(extraction.datasetRoot().resolve("train/circle/circle-0.png")).isRegularFile();
        assertThat(extraction.entries()).isEqualTo(16);
        assertThat(extraction.bytes()).isPositive();
    }

    @Test
    void keepsTheArchiveRootWhenItHoldsTheSplitsDirectly() throws IOException {
        Path data = Fixtures.imageFolder(tmp.resolve("src").resolve("pets"), 2);
        Path tgz = Fixtures.tarFolder(data, data, tmp.resolve("pets.tgz"));

        Extraction extraction = extract(tgz, GENEROUS);

        assertThat(extraction.datasetRoot()).isEqualTo(target);
        assertThat(target.resolve("test/square/square-3.png")).isRegularFile();
    }

    @Test
    void wipesWhatAnEarlierAttemptLeftInTheTarget() throws IOException {
        Files.createDirectories(target.resolve("old"));
        Files.writeString(target.resolve("old/leftover.txt"), "from a crashed run");

        extract(Fixtures.zip(tmp.resolve("a.zip"), "a/x.txt", "x"), GENEROUS);

        assertThat(target.resolve("old")).doesNotExist();
    }

    @Test
    void refusesAZipSlipEntryAndWritesNothingOutside() throws IOException {
        Path zip = Fixtures.zip(tmp.resolve("slip.zip"), "ok.txt", "fine", "../evil.txt", "gotcha");

        assertThatThrownBy(() -> extract(zip, GENEROUS))
                .isInstanceOf(ArchiveRejectedException.class)
                .hasMessageContaining("archive entry '../evil.txt' would be written outside the extraction folder;"
                        + " refusing the archive");
        assertThat(tmp.resolve("work/evil.txt")).doesNotExist();
    }

    @Test
    void refusesDotDotSegmentsEvenWhenTheyWouldResolveInside() throws IOException {
        Path zip = Fixtures.zip(tmp.resolve("dots.zip"), "a/../b.txt", "sneaky");

        assertThatThrownBy(() -> extract(zip, GENEROUS)).hasMessageContaining("'a/../b.txt'");
    }

    @Test
    void treatsBackslashesAsSeparators() throws IOException {
        // commons-compress already turns a zip's backslashes into slashes; the rule must hold on its own too.
        Path zip = Fixtures.zip(tmp.resolve("win.zip"), "..\\..\\evil.txt", "windows style");
        assertThatThrownBy(() -> extract(zip, GENEROUS))
                .isInstanceOf(ArchiveRejectedException.class)
                .hasMessageContaining("evil.txt' would be written outside");

        assertThatThrownBy(() -> EntryPaths.resolveInside(target, "data\\..\\..\\evil.txt"))
                .hasMessageContaining("'data\\..\\..\\evil.txt' would be written outside");
        assertThat(EntryPaths.resolveInside(target, "./train\\cat\\1.png"))
                .isEqualTo(target.toAbsolutePath().resolve("train/cat/1.png"));
    }

    @Test
    void refusesAbsolutePathsAndDriveLetters() throws IOException {
        Path evil = tmp.resolve("absolute-evil.txt");
        Path zip = Fixtures.zip(tmp.resolve("abs.zip"), evil.toString(), "absolute");
        assertThatThrownBy(() -> extract(zip, GENEROUS))
                .hasMessageContaining("archive entry '" + evil + "' has an absolute path");
        assertThat(evil).doesNotExist();

        Path drive = Fixtures.zip(tmp.resolve("drive.zip"), "C:/Windows/evil.txt", "drive");
        assertThatThrownBy(() -> extract(drive, GENEROUS)).hasMessageContaining("'C:/Windows/evil.txt' has an absolute path");

        Path tar = Fixtures.tarWithEntry(tmp.resolve("abs.tar"), evil.toString(), "absolute in a tar");
        assertThatThrownBy(() -> extract(tar, GENEROUS)).hasMessageContaining("has an absolute path");
        assertThat(evil).doesNotExist();
    }

    @Test
    void refusesTarSymlinksBeforeAnythingIsWrittenThroughThem() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path tar = Fixtures.tarWithSymlink(tmp.resolve("link.tar.gz"), "data/link", outside.toString());

        assertThatThrownBy(() -> extract(tar, GENEROUS))
                .isInstanceOf(ArchiveRejectedException.class)
                .hasMessageContaining("archive entry 'data/link' is a symbolic link (to '" + outside + "')");
        assertThat(outside.resolve("evil.txt")).doesNotExist();
        assertThat(target.resolve("data/link")).doesNotExist();
    }

    @Test
    void refusesTarHardLinksAndFifos() throws IOException {
        Path hard = Fixtures.tarWithHardLink(tmp.resolve("hard.tar"), "data/passwd", "/etc/passwd");
        assertThatThrownBy(() -> extract(hard, GENEROUS))
                .hasMessageContaining("archive entry 'data/passwd' is a hard link (to '/etc/passwd')");

        Path fifo = Fixtures.tarWithFifo(tmp.resolve("fifo.tar"), "data/pipe");
        assertThatThrownBy(() -> extract(fifo, GENEROUS))
                .hasMessageContaining("archive entry 'data/pipe' is a device or FIFO");
    }

    @Test
    void refusesZipUnixSymlinks() throws IOException {
        Path zip = Fixtures.zipWithSymlink(tmp.resolve("link.zip"), "data/etc", "/etc");

        assertThatThrownBy(() -> extract(zip, GENEROUS))
                .hasMessageContaining("archive entry 'data/etc' is a symbolic link");
        assertThat(target.resolve("data/etc")).doesNotExist();
    }

    @Test
    void stopsAtTheByteLimitCountingWhatIsWrittenNotWhatHeadersClaim() throws IOException {
        Path zip = Fixtures.zipOfZeros(tmp.resolve("bomb.zip"), "zeros.bin", 40L << 20);
        ArchiveLimits fourMiB = new ArchiveLimits(4L << 20, 1000, Integer.MAX_VALUE);

        assertThatThrownBy(() -> extract(zip, fourMiB))
                .isInstanceOf(ArchiveRejectedException.class)
                .hasMessageContaining("archive expands to more than 4.0 MiB (at entry 'zeros.bin'");
        assertThat(Files.size(target.resolve("zeros.bin"))).isLessThanOrEqualTo(4L << 20);
    }

    @Test
    void refusesAnEntryThatExpandsBeyondTheRatio() throws IOException {
        Path tgz = Fixtures.tarGzOfZeros(tmp.resolve("zeros.tgz"), "padding.bin", 8L << 20);
        ArchiveLimits ratio50 = new ArchiveLimits(1L << 30, 1000, 50);

        assertThatThrownBy(() -> extract(tgz, ratio50))
                .hasMessageContaining("archive entry 'padding.bin' expands more than 50x");

        Path zip = Fixtures.zipOfZeros(tmp.resolve("zeros.zip"), "padding.bin", 8L << 20);
        assertThatThrownBy(() -> extract(zip, ratio50))
                .hasMessageContaining("archive entry 'padding.bin' expands more than 50x");
    }

    @Test
    void acceptsIncompressibleDataUnderTheSameRatio() throws IOException {
        byte[] noise = new byte[3 << 20];
        new Random(7).nextBytes(noise);
        Path zip = tmp.resolve("noise.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            out.putArchiveEntry(new ZipArchiveEntry("noise.bin"));
            out.write(noise);
            out.closeArchiveEntry();
        }

        Extraction extraction = extract(zip, new ArchiveLimits(1L << 30, 1000, 2));

        assertThat(extraction.bytes()).isEqualTo(noise.length);
    }

    @Test
    void refusesTooManyEntries() throws IOException {
        Path zip = Fixtures.zip(tmp.resolve("many.zip"), "a", "1", "b", "2", "c", "3", "d", "4");

        assertThatThrownBy(() -> extract(zip, new ArchiveLimits(1L << 20, 3, 1000)))
                .hasMessageContaining("archive has more than 3 entries (at 'd'");
    }

    @Test
    void refusesDuplicateEntries() throws IOException {
        Path zip = Fixtures.zip(tmp.resolve("twice.zip"), "x/a.txt", "first", "x/a.txt", "second");

        assertThatThrownBy(() -> extract(zip, GENEROUS)).hasMessageContaining("archive entry 'x/a.txt' appears twice");
    }

    @Test
    void refusesAnEmptyArchive() throws IOException {
        Path zip = Fixtures.zip(tmp.resolve("empty.zip"));

        assertThatThrownBy(() -> extract(zip, GENEROUS)).hasMessageContaining("is empty");
    }

    @Test
    void reportsACorruptArchiveAsUnreadable() throws IOException {
        Path zip = Files.write(tmp.resolve("corrupt.zip"), "PK not really".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> extract(zip, GENEROUS)).isInstanceOf(IOException.class);
    }

    @Test
    void neverWritesOutsideTheTargetInAnyRefusal() throws IOException {
        Path zip = Fixtures.zip(tmp.resolve("mixed.zip"), "good/a.txt", "a", "good/../../escaped.txt", "b");
        assertThatThrownBy(() -> extract(zip, GENEROUS)).isInstanceOf(ArchiveRejectedException.class);

        try (Stream<Path> all = Files.walk(tmp.resolve("work"))) {
            assertThat(all.filter(Files::isRegularFile)).allMatch(p -> p.startsWith(target));
        }
    }
}
