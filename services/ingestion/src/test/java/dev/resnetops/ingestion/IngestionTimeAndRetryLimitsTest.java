package dev.resnetops.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.ingestion.config.IngestionConfig;
import dev.resnetops.ingestion.service.DatabaseDownOutcomes;
import dev.resnetops.ingestion.service.DatasetFolders;
import dev.resnetops.ingestion.service.IngestionOutcomes;
import dev.resnetops.ingestion.service.ScriptedSourceImport;
import dev.resnetops.ingestion.service.SourceImport;
import dev.resnetops.ingestion.support.Fixtures;
import dev.resnetops.ingestion.support.IngestionDriver;
import dev.resnetops.ingestion.support.IngestionDriver.DatasetRow;
import dev.resnetops.ingestion.support.KafkaTestClient;
import dev.resnetops.messaging.Inbox;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.datasets.DatasetStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two bounds on one command: the ingestion time limit, and the retries of faults outside the data.
 * A profile of its own keeps both short (5 s, 2 attempts).
 */
@QuarkusTest
@TestProfile(IngestionTimeAndRetryLimitsTest.ShortLimits.class)
class IngestionTimeAndRetryLimitsTest {

    public static final class ShortLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mlops.ingestion.time-limit", "PT5S", "mlops.ingestion.retry.max-attempts", "2");
        }
    }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DatasetFolders folders;
    @Inject
    IngestionConfig config;
    @Inject
    DatasetStore store;
    @Inject
    OutboxWriter outbox;
    @Inject
    Inbox inbox;

    @TempDir
    Path tmp;

    IngestionDriver driver;

    @BeforeEach
    void setUp() {
        KafkaTestClient.ensureTopics(Topics.DATASET_COMMANDS, Topics.DATASET_EVENTS, Topics.DATASET_COMMANDS_DLQ);
        driver = new IngestionDriver(dataSource);
        QuarkusMock.installMockForType(new ScriptedSourceImport(folders, config), SourceImport.class);
        QuarkusMock.installMockForType(new DatabaseDownOutcomes(store, outbox, inbox), IngestionOutcomes.class);
    }

    @Test
    void anImportThatHangsIsStoppedAtTheTimeLimitAndTheNextDatasetIsIngested() throws IOException {
        Path root = Fixtures.imageFolder(tmp.resolve("shapes"), new Random().nextLong());
        IngestDataset stuck = driver.submit("hang-shapes", root.toString());
        IngestDataset next = driver.submit("after-the-hang", root.toString());

        DatasetRow failed = driver.awaitFinished(stuck.datasetId());
        DatasetRow ready = driver.awaitFinished(next.datasetId());

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.error()).startsWith(root.toString())
                .contains("took longer than the ingestion time limit of PT5S (mlops.ingestion.time-limit)");
        assertThat(ready.status()).as("error: %s", ready.error()).isEqualTo("READY");
    }

    @Test
    void aCommandWhoseDatabaseFaultOutlastsTheRetriesStillMarksItsDatasetFailed() throws IOException {
        Path root = Fixtures.imageFolder(tmp.resolve("shapes"), new Random().nextLong());
        IngestDataset doomed = driver.submit("db-down-shapes", root.toString());
        IngestDataset next = driver.submit("after-the-outage", root.toString());

        DatasetRow failed = driver.awaitFinished(doomed.datasetId());
        DatasetRow ready = driver.awaitFinished(next.datasetId());

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.error()).startsWith(root.toString())
                .contains("ingestion gave up after repeated failures outside the dataset (gave up after 2 attempts:"
                        + " cannot mark dataset " + doomed.datasetId() + " READY: Connection to 127.0.0.1:5433 refused)");
        assertThat(ready.status()).as("error: %s", ready.error()).isEqualTo("READY");
    }
}
