package dev.resnetops.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.ingestion.support.Await;
import dev.resnetops.ingestion.support.Fixtures;
import dev.resnetops.ingestion.support.IngestionDriver;
import dev.resnetops.ingestion.support.IngestionDriver.DatasetRow;
import dev.resnetops.ingestion.support.KafkaTestClient;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands written straight to the topic, past the orchestrator's API: the consumer refuses them on its
 * own checks. The test profile allows sources under the temporary folder and /usr/share/datasets only.
 */
@QuarkusTest
class ForgedCommandTest {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry metrics;

    @TempDir
    Path tmp;

    IngestionDriver driver;

    @BeforeEach
    void setUp() {
        KafkaTestClient.ensureTopics(Topics.DATASET_COMMANDS, Topics.DATASET_EVENTS, Topics.DATASET_COMMANDS_DLQ);
        driver = new IngestionDriver(dataSource);
    }

    @Test
    void aForgedCommandNamingAPathOutsideTheAllowedRootsFailsItsDatasetWithTheReason() {
        DatasetRow row = driver.awaitFinished(driver.submit("forged-etc", "/etc").datasetId());

        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.error()).startsWith("/etc: source '/etc' is outside the folders this service may read: ")
                .contains("mlops.ingestion.allowed-roots");
        assertThat(row.versionId()).isNull();
    }

    @Test
    void aForgedCommandThroughASymbolicLinkThatLeavesTheAllowedRootsIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("innocent"), Path.of("/etc"));

        DatasetRow row = driver.awaitFinished(driver.submit("forged-link", link.toString()).datasetId());

        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.error()).contains("(/etc) is outside the folders this service may read");
    }

    @Test
    void aForgedCommandWithAnOversizedNameOrAnUnknownFormatFailsItsDatasetNamingTheField() throws IOException {
        Path root = Fixtures.imageFolder(tmp.resolve("shapes"), new Random().nextLong());
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a dataset");

        DatasetRow longName = driver.awaitFinished(driver.submit("x".repeat(5000), root.toString()).datasetId());
        DatasetRow unknownFormat = driver.awaitFinished(driver.submit("notes", text.toString()).datasetId());

        assertThat(longName.status()).isEqualTo("FAILED");
        assertThat(longName.error()).contains("(5000 characters) is not a dataset name: 1-64 letters");
        assertThat(unknownFormat.status()).isEqualTo("FAILED");
        assertThat(unknownFormat.error()).contains("is a file in an unknown format: expected a dataset folder or a"
                + " .zip, .tar, .tar.gz or .tgz archive");
    }

    @Test
    void aForgedCommandForAnUnknownDatasetIsRefusedCountedAndCreatesNothing() throws IOException {
        double refusedBefore = metrics.counter("ingestion.commands.refused").count();
        IngestDataset forged = IngestDataset.of(UUID.randomUUID(), "forged", "/root");
        driver.send(forged);

        Await.until("the forged command to be refused", Duration.ofSeconds(60),
                () -> metrics.counter("ingestion.commands.refused").count() > refusedBefore);
        Path root = Fixtures.imageFolder(tmp.resolve("shapes"), new Random().nextLong());
        DatasetRow next = driver.awaitFinished(driver.submit("after-the-forgery", root.toString()).datasetId());

        assertThat(driver.dataset(forged.datasetId())).as("no dataset row for a refused command").isNull();
        assertThat(driver.count("SELECT count(*) FROM inbox WHERE message_id = ?", forged.messageId())).isZero();
        assertThat(next.status()).as("error: %s", next.error()).isEqualTo("READY");
    }
}
