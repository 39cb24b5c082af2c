package dev.resnetops.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.ingestion.config.IngestionConfig;
import dev.resnetops.ingestion.service.DatasetFolders;
import dev.resnetops.ingestion.service.ScriptedSourceImport;
import dev.resnetops.ingestion.service.SourceImport;
import dev.resnetops.ingestion.support.Fixtures;
import dev.resnetops.ingestion.support.IngestionDriver;
import dev.resnetops.ingestion.support.IngestionDriver.DatasetRow;
import dev.resnetops.ingestion.support.KafkaTestClient;
import dev.resnetops.testsupport.TestImages;
import dev.resnetops.vision.data.ImageLimits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever goes wrong while a dataset is read, it ends FAILED (or has the bad file quarantined) with a
 * message naming the file and the problem, and the next command is processed: on the real broker and
 * database. Faults no file can cause on demand (an OutOfMemoryError, a bug) are injected at the import
 * boundary by {@link ScriptedSourceImport}.
 */
@QuarkusTest
class IngestionFailureTest {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DatasetFolders folders;
    @Inject
    IngestionConfig config;

    @TempDir
    Path tmp;

    IngestionDriver driver;

    @BeforeEach
    void setUp() {
        KafkaTestClient.ensureTopics(Topics.DATASET_COMMANDS, Topics.DATASET_EVENTS, Topics.DATASET_COMMANDS_DLQ);
        driver = new IngestionDriver(dataSource);
        QuarkusMock.installMockForType(new ScriptedSourceImport(folders, config), SourceImport.class);
    }

    @Test
    void aTwentyThousandPixelSquarePngInAnImageFolderIsQuarantinedWithItsReasonAndTheRestIsIngested()
            throws IOException {
        Path root = Fixtures.imageFolder(tmp.resolve("shapes"), new Random().nextLong());
        Path bomb = TestImages.pixelBombPng(root.resolve("train/circle/huge.png"), 20_000, 20_000);
        assertThat(Files.size(bomb)).as("a few hundred kilobytes").isLessThan(1_000_000);

        DatasetRow row = driver.awaitFinished(driver.submit("bomb-folder", root.toString()).datasetId());

        assertThat(row.status()).as("error: %s", row.error()).isEqualTo("READY");
        assertBombQuarantined(row, "train/circle/huge.png");
        assertThat(driver.version(row.versionId()).counts().get("train").asInt())
                .isEqualTo(2 * Fixtures.IMAGES_PER_CLASS);
    }

    @Test
    void aTwentyThousandPixelSquarePngInsideAnArchiveIsQuarantinedWithItsReasonAndTheRestIsIngested()
            throws IOException {
        Path root = Fixtures.imageFolder(tmp.resolve("src").resolve("shapes"), new Random().nextLong());
        TestImages.pixelBombPng(root.resolve("test/square/huge.png"), 20_000, 20_000);
        Path archive = Fixtures.zipFolder(root, tmp.resolve("shapes.zip"));

        DatasetRow row = driver.awaitFinished(driver.submit("bomb-zip", archive.toString()).datasetId());

        assertThat(row.status()).as("error: %s", row.error()).isEqualTo("READY");
        assertBombQuarantined(row, "test/square/huge.png");
        assertThat(row.problems().get(0).get("field").asText()).as("the file inside the archive, not the extraction")
                .isEqualTo(archive + "!/shapes/test/square/huge.png");
        assertThat(driver.version(row.versionId()).counts().get("test").asInt())
                .isEqualTo(2 * Fixtures.IMAGES_PER_CLASS);
    }

    @Test
    void anArchiveWhoseClassHasOnlyAQuarantinedImageFailsNamingTheClassAndWhy() throws IOException {
        Path root = Fixtures.imageFolder(tmp.resolve("src").resolve("shapes"), new Random().nextLong());
        TestImages.pixelBombPng(root.resolve("train/triangle/huge.png"), 20_000, 20_000);
        Path archive = Fixtures.tarFolder(root, root.getParent(), tmp.resolve("shapes.tar.gz"));

        DatasetRow row = driver.awaitFinished(driver.submit("empty-class-tar", archive.toString()).datasetId());

        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.error()).contains(archive.toString())
                .contains("class 'triangle' (its only training image was quarantined; first: ")
                .contains(archive + "!/shapes/train/triangle/huge.png: image is 20000x20000")
                .contains("has no training images");
    }

    @Test
    void anIdxFileWhoseHeaderClaimsMoreThanTheFileHoldsFailsTheDatasetNamingTheFile() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("digits"));
        Path images = root.resolve("train-images-idx3-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(0x00000803);
            out.writeInt(60_000);
            out.writeInt(28);
            out.writeInt(28);
            out.write(new byte[100]);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(root.resolve("train-labels-idx1-ubyte")))) {
            out.writeInt(0x00000801);
            out.writeInt(1);
            out.write(0);
        }

        DatasetRow row = driver.awaitFinished(driver.submit("idx-liar", root.toString()).datasetId());

        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.error()).contains(images.toString()).contains("the header claims 60000 images of 28x28");
    }

    @Test
    void anIdxDatasetWhoseOnlySampleOfAClassIsQuarantinedFailsNamingTheClassInsteadOfEndingReady()
            throws IOException {
        // Digits 0-8 once each; the record meant for '9' carries label 12, out of range, so it is quarantined.
        Path root = Files.createDirectories(tmp.resolve("digits"));
        byte[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 12};
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(root.resolve("train-images-idx3-ubyte")))) {
            out.writeInt(0x00000803);
            out.writeInt(labels.length);
            out.writeInt(4);
            out.writeInt(4);
            out.write(new byte[labels.length * 16]);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(root.resolve("train-labels-idx1-ubyte")))) {
            out.writeInt(0x00000801);
            out.writeInt(labels.length);
            out.write(labels);
        }

        DatasetRow row = driver.awaitFinished(driver.submit("digits-without-nine", root.toString()).datasetId());

        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.error()).startsWith(root.toString())
                .contains("class '9' (no training record carries its label) has no training images")
                .contains("train-images-idx3-ubyte#9: label 12 in the label file is out of range 0..9");
        assertThat(row.versionId()).isNull();
    }

    @Test
    void anOutOfMemoryErrorWhileImportingFailsTheDatasetAndTheNextDatasetIsIngested() throws IOException {
        Path root = Fixtures.imageFolder(tmp.resolve("shapes"), new Random().nextLong());
        IngestDataset doomed = driver.submit("oom-shapes", root.toString());
        IngestDataset next = driver.submit("after-the-oom", root.toString());

        DatasetRow failed = driver.awaitFinished(doomed.datasetId());
        DatasetRow ready = driver.awaitFinished(next.datasetId());

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.error()).startsWith(root.toString())
                .contains("ran out of memory (Java heap space)").contains("-Xmx");
        assertThat(ready.status()).as("error: %s", ready.error()).isEqualTo("READY");
    }

    @Test
    void anUnexpectedExceptionWhileImportingFailsTheDatasetAtOnceInsteadOfBeingRetried() throws IOException {
        Path root = Fixtures.imageFolder(tmp.resolve("shapes"), new Random().nextLong());
        long started = System.nanoTime();

        DatasetRow row = driver.awaitFinished(driver.submit("crash-shapes", root.toString()).datasetId());

        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.error()).startsWith(root.toString())
                .contains("failed unexpectedly (IllegalStateException: simulated bug");
        // Retrying a bug with backoff (8 attempts, up to 30 s apart) would take minutes.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    private static void assertBombQuarantined(DatasetRow row, String file) {
        assertThat(row.problems()).hasSize(1);
        JsonNode problem = row.problems().get(0);
        assertThat(problem.get("field").asText()).endsWith(file);
        assertThat(problem.get("message").asText()).contains("image is 20000x20000 = 400000000 pixels",
                "over the limit of " + ImageLimits.DEFAULT_MAX_PIXELS);
    }
}
