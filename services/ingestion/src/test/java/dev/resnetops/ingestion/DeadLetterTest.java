package dev.resnetops.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.IngestDataset;
import dev.resnetops.ingestion.support.Fixtures;
import dev.resnetops.ingestion.support.IngestionDriver;
import dev.resnetops.ingestion.support.KafkaTestClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records that are not IngestDataset commands go to the DLQ with a reason; the stream keeps flowing. */
@QuarkusTest
class DeadLetterTest {

    @Inject
    AgroalDataSource dataSource;

    @TempDir
    Path tmp;

    @Test
    void malformedRecordsLandOnTheDlqWithAReasonAndLaterCommandsAreStillProcessed() throws IOException {
        KafkaTestClient.ensureTopics(Topics.DATASET_COMMANDS, Topics.DATASET_EVENTS, Topics.DATASET_COMMANDS_DLQ);
        IngestionDriver driver = new IngestionDriver(dataSource);
        String token = UUID.randomUUID().toString();
        String key = "malformed-" + token;
        String notJson = "this is not JSON " + token;
        String unknownType = "{\"type\":\"Nonsense\",\"token\":\"" + token + "\"}";
        KafkaTestClient.send(Topics.DATASET_COMMANDS, key, notJson);
        KafkaTestClient.send(Topics.DATASET_COMMANDS, key, unknownType);

        Path root = Fixtures.imageFolder(tmp.resolve("shapes"), new Random().nextLong());
        IngestDataset valid = driver.submit("after-the-bad-ones", root.toString());

        assertThat(driver.awaitFinished(valid.datasetId()).status()).isEqualTo("READY");
        List<ConsumerRecord<String, String>> dead = KafkaTestClient.read(Topics.DATASET_COMMANDS_DLQ,
                r -> r.value() != null && r.value().contains(token), found -> found.size() >= 2, Duration.ofSeconds(30));
        assertThat(dead).extracting(ConsumerRecord::value).containsExactly(notJson, unknownType);
        assertThat(reason(dead.get(0))).startsWith("malformed message: not JSON");
        assertThat(reason(dead.get(1))).contains("malformed message: unknown message type 'Nonsense'");
        assertThat(dead.get(0).key()).isEqualTo(key);
    }

    private static String reason(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader("dead-letter-reason");
        assertThat(header).as("dead-letter-reason header").isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
