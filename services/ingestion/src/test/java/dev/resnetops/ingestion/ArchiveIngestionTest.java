package dev.resnetops.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.DatasetFailed;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.ingestion.service.DatasetFolders;
import dev.resnetops.ingestion.support.Fixtures;
import dev.resnetops.ingestion.support.IngestionDriver;
import dev.resnetops.ingestion.support.IngestionDriver.DatasetRow;
import dev.resnetops.ingestion.support.KafkaTestClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archive sources end to end: a good one becomes READY, hostile ones FAILED with the entry named. */
@QuarkusTest
class ArchiveIngestionTest {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DatasetFolders folders;

    @TempDir
    Path tmp;

    IngestionDriver driver;

    @BeforeEach
    void setUp() {
        KafkaTestClient.ensureTopics(Topics.DATASET_COMMANDS, Topics.DATASET_EVENTS, Topics.DATASET_COMMANDS_DLQ);
        driver = new IngestionDriver(dataSource);
    }

    @Test
    void importsATarGzWithOneTopLevelFolderAndRemovesTheExtraction() throws IOException {
        Path data = Fixtures.imageFolder(tmp.resolve("src").resolve("shapes"), new Random().nextLong());
        Path archive = Fixtures.tarFolder(data, data.getParent(), tmp.resolve("shapes.tar.gz"));

        IngestDataset command = driver.submit("shapes-archive", archive.toString());
        DatasetRow row = driver.awaitFinished(command.datasetId());

        assertThat(row.status()).as("error: %s", row.error()).isEqualTo("READY");
        assertThat(driver.version(row.versionId()).counts().get("test").asInt())
                .isEqualTo(2 * Fixtures.IMAGES_PER_CLASS);
        assertThat(folders.extractionFolder(command.datasetId())).doesNotExist();
    }

    @Test
    void zipSlipArchiveFailsTheDatasetNamingTheEntryAndWritesNothingOutside() throws IOException {
        Path archive = Fixtures.zip(tmp.resolve("slip.zip"), "shapes/train/circle/readme.txt", "fine",
                "../evil.txt", "escaped");

        IngestDataset command = driver.submit("slip", archive.toString());
        DatasetRow row = driver.awaitFinished(command.datasetId());

        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.error()).contains(archive.toString())
                .contains("archive entry '../evil.txt' would be written outside the extraction folder;"
                        + " refusing the archive");
        assertThat(folders.extractionFolder(command.datasetId()).resolveSibling("evil.txt")).doesNotExist();
        assertThat(folders.extractionFolder(command.datasetId())).doesNotExist();
        assertThat(row.versionId()).isNull();

        DatasetFailed failed = (DatasetFailed) event(command.datasetId());
        assertThat(failed.reason()).isEqualTo(row.error());
    }

    @Test
    void absolutePathEntryFailsTheDataset() throws IOException {
        Path evil = tmp.resolve("absolute-" + UUID.randomUUID() + ".txt");
        Path archive = Fixtures.zip(tmp.resolve("absolute.zip"), evil.toString(), "absolute");

        IngestDataset command = driver.submit("absolute", archive.toString());
        DatasetRow row = driver.awaitFinished(command.datasetId());

        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.error()).contains("archive entry '" + evil + "' has an absolute path");
        assertThat(evil).doesNotExist();
    }

    @Test
    void tarWithASymlinkFailsTheDataset() throws IOException {
        Path outside = tmp.resolve("outside");
        Path archive = Fixtures.tarWithSymlink(tmp.resolve("link.tar"), "data/link", outside.toString());

        IngestDataset command = driver.submit("link", archive.toString());
        DatasetRow row = driver.awaitFinished(command.datasetId());

        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.error()).contains("archive entry 'data/link' is a symbolic link (to '" + outside + "')");
        assertThat(outside.resolve("evil.txt")).doesNotExist();
        assertThat(folders.extractionFolder(command.datasetId())).doesNotExist();
    }

    @Test
    void zipBombIsRefusedWithAClearReason() throws IOException {
        // 200 MB of zeros in about 200 KB; the test profile allows 8 MiB of extracted data.
        Path archive = Fixtures.zipOfZeros(tmp.resolve("bomb.zip"), "zeros.bin", 200_000_000L);

        IngestDataset command = driver.submit("bomb", archive.toString());
        DatasetRow row = driver.awaitFinished(command.datasetId());

        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.error()).contains("zeros.bin").contains("refusing").contains("decompression bomb");
        assertThat(folders.extractionFolder(command.datasetId())).doesNotExist();
    }

    @Test
    void missingSourceFailsTheDatasetSayingWhatToDo() {
        String source = tmp.resolve("no-such-folder").toString();

        IngestDataset command = driver.submit("missing", source);
        DatasetRow row = driver.awaitFinished(command.datasetId());

        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.error()).startsWith(source + ": no such file or folder on the ingestion host; pass a path");
    }

    private static Message event(UUID datasetId) {
        List<ConsumerRecord<String, String>> events = KafkaTestClient.read(Topics.DATASET_EVENTS,
                r -> datasetId.toString().equals(r.key()), found -> !found.isEmpty(), Duration.ofSeconds(30));
        assertThat(events).as("event for %s", datasetId).isNotEmpty();
        return MessageCodec.fromJson(events.get(0).value());
    }
}
