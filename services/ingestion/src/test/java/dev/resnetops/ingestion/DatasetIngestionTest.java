package dev.resnetops.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.DatasetReady;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.ingestion.service.DatasetFolders;
import dev.resnetops.ingestion.service.IngestionOutcomes;
import dev.resnetops.ingestion.support.Await;
import dev.resnetops.ingestion.support.Fixtures;
import dev.resnetops.ingestion.support.IngestionDriver;
import dev.resnetops.ingestion.support.IngestionDriver.DatasetRow;
import dev.resnetops.ingestion.support.IngestionDriver.VersionRow;
import dev.resnetops.ingestion.support.KafkaTestClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands in on Kafka, rows in PostgreSQL, shards on disk and events out on Kafka: the real thing. */
@QuarkusTest
class DatasetIngestionTest {

    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

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
    void registersFashionMnistFromItsIdxFilesAndAnnouncesIt() throws IOException {
        long started = System.nanoTime();
        IngestDataset command = driver.submit("fashion-mnist", FASHION_MNIST.toString());

        DatasetRow row = driver.awaitFinished(command.datasetId());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(row.status()).as("error: %s", row.error()).isEqualTo("READY");
        VersionRow version = driver.version(row.versionId());
        assertThat(version.counts().get("train").asInt()).isEqualTo(60_000);
        assertThat(version.counts().get("test").asInt()).isEqualTo(10_000);
        assertThat(version.classes()).hasSize(10);
        assertThat(version.classes().get(0).asText()).isEqualTo("T-shirt/top");
        version.classCounts().get("train").forEach(n -> assertThat(n.asInt()).isEqualTo(6_000));
        version.classCounts().get("test").forEach(n -> assertThat(n.asInt()).isEqualTo(1_000));
        assertThat(version.classCounts().get("train").get("Ankle boot").asInt()).isEqualTo(6_000);
        assertThat(Path.of(version.shardLocation()).resolve("manifest.json")).isRegularFile();

        DatasetReady ready = readyEvent(command.datasetId());
        assertThat(ready.versionId()).isEqualTo(row.versionId());
        assertThat(ready.contentHash()).isEqualTo(version.contentHash());
        assertThat(ready.counts()).containsEntry("train", 60_000).containsEntry("test", 10_000);
        assertThat(ready.quarantined()).isZero();
        System.out.printf("Fashion-MNIST: command to READY in %.1f s%n", took.toMillis() / 1000.0);
        assertThat(took).as("Fashion-MNIST ingestion time").isLessThan(Duration.ofSeconds(75));
    }

    @Test
    void importsAnImageFolderAndListsTheCorruptFileWithItsReason() throws IOException {
        Path root = Fixtures.imageFolder(tmp.resolve("shapes"), new Random().nextLong());
        Fixtures.garbagePng(root.resolve("train/circle/broken.png"));

        IngestDataset command = driver.submit("shapes", root.toString());
        DatasetRow row = driver.awaitFinished(command.datasetId());

        assertThat(row.status()).as("error: %s", row.error()).isEqualTo("READY");
        assertThat(row.problems()).hasSize(1);
        JsonNode problem = row.problems().get(0);
        assertThat(problem.get("field").asText()).endsWith("train/circle/broken.png");
        assertThat(problem.get("message").asText()).containsIgnoringCase("image");
        VersionRow version = driver.version(row.versionId());
        assertThat(version.counts().get("train").asInt()).isEqualTo(2 * Fixtures.IMAGES_PER_CLASS);
        assertThat(version.classCounts().get("test").get("square").asInt()).isEqualTo(Fixtures.IMAGES_PER_CLASS);
        assertThat(version.quarantine()).hasSize(1);
        assertThat(readyEvent(command.datasetId()).quarantined()).isEqualTo(1);
    }

    @Test
    void sameContentRegisteredTwiceSharesOneVersionAndOneShardFolder() throws IOException {
        long seed = new Random().nextLong();
        Path first = Fixtures.imageFolder(tmp.resolve("a").resolve("shapes"), seed);
        Path second = Fixtures.imageFolder(tmp.resolve("b").resolve("shapes"), seed);

        IngestDataset one = driver.submit("shapes-one", first.toString());
        IngestDataset two = driver.submit("shapes-two", second.toString());
        DatasetRow rowOne = driver.awaitFinished(one.datasetId());
        DatasetRow rowTwo = driver.awaitFinished(two.datasetId());

        assertThat(rowOne.status()).isEqualTo("READY");
        assertThat(rowTwo.status()).isEqualTo("READY");
        assertThat(rowTwo.versionId()).isEqualTo(rowOne.versionId());
        VersionRow version = driver.version(rowOne.versionId());
        assertThat(driver.count("SELECT count(*) FROM dataset_versions WHERE content_hash = ?", version.contentHash()))
                .isEqualTo(1);
        assertThat(Path.of(version.shardLocation())).isEqualTo(folders.shardFolder(version.contentHash()));
        try (Stream<Path> shardFolders = Files.list(folders.root())) {
            assertThat(shardFolders.filter(p -> p.getFileName().toString().startsWith(version.contentHash())))
                    .containsExactly(folders.shardFolder(version.contentHash()));
        }
        try (Stream<Path> leftovers = Files.list(folders.root().resolve(".incoming"))) {
            assertThat(leftovers.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.contains(one.datasetId().toString()) || n.contains(two.datasetId().toString()));
        }
        assertThat(readyEvent(two.datasetId()).versionId()).isEqualTo(rowOne.versionId());
    }

    @Test
    void redeliveredCommandIsProcessedOnceAndALateCommandForAFinishedDatasetIsIgnored() throws IOException {
        Path root = Fixtures.imageFolder(tmp.resolve("shapes"), new Random().nextLong());
        IngestDataset command = IngestDataset.of(UUID.randomUUID(), "shapes", root.toString());
        driver.insertIngesting(command);

        driver.send(command);
        RecordMetadata duplicate = driver.send(command);
        assertThat(driver.awaitFinished(command.datasetId()).status()).isEqualTo("READY");
        IngestDataset late = new IngestDataset(1, UUID.randomUUID(), command.occurredAt(), command.datasetId(),
                command.name(), command.source());
        RecordMetadata lateRecord = driver.send(late);
        awaitConsumed(lateRecord);
        assertThat(lateRecord.offset()).isGreaterThan(duplicate.offset());

        assertThat(driver.count("SELECT count(*) FROM inbox WHERE consumer = ? AND message_id = ?",
                IngestionOutcomes.CONSUMER, command.messageId())).isEqualTo(1);
        assertThat(driver.count("SELECT count(*) FROM inbox WHERE message_id = ?", late.messageId())).isZero();
        assertThat(driver.count("SELECT count(*) FROM outbox WHERE message_key = ?", command.key())).isEqualTo(1);
        Await.until("the DatasetReady to leave the outbox", Duration.ofSeconds(30), () -> driver.count(
                "SELECT count(*) FROM outbox WHERE message_key = ? AND published_at IS NOT NULL", command.key()) == 1);
        List<ConsumerRecord<String, String>> events = KafkaTestClient.read(Topics.DATASET_EVENTS,
                r -> command.key().equals(r.key()), found -> found.size() > 1, Duration.ofSeconds(5));
        assertThat(events).hasSize(1);
    }

    /** Waits until the ingestion group has committed past {@code record} (same key, so same partition). */
    private static void awaitConsumed(RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Await.until("group ingestion to commit past offset " + record.offset(), Duration.ofSeconds(60),
                () -> KafkaTestClient.committedOffset("ingestion", partition) > record.offset());
    }

    private static DatasetReady readyEvent(UUID datasetId) {
        List<ConsumerRecord<String, String>> events = KafkaTestClient.read(Topics.DATASET_EVENTS,
                r -> datasetId.toString().equals(r.key()), found -> !found.isEmpty(), Duration.ofSeconds(30));
        assertThat(events).as("DatasetReady for %s on %s", datasetId, Topics.DATASET_EVENTS).isNotEmpty();
        return (DatasetReady) MessageCodec.fromJson(events.get(0).value());
    }
}
