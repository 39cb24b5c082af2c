package dev.resnetops.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.Topics;
import dev.resnetops.testsupport.TestKafka;
import dev.resnetops.testsupport.TestTokens;
import dev.resnetops.testsupport.TopicProbe;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox relay dying at its worst moment: Kafka has the message, the row is not marked published. The
 * orchestrator is halted at exactly that point by its fault-injection setting (mlops.outbox.fault-injection.*),
 * restarted without it, and sends the row again; the ingestion service then reads the command twice and, by
 * its inbox, ingests the dataset once.
 */
class OutboxRelayCrashSystemTest {

    private static final String TOKEN = TestTokens.forRole("submitter");
    /** HALT_STATUS and MESSAGE_ID_HEADER (this module has the services' jars only to start them). */
    private static final int HALT_STATUS = 86;
    private static final String MESSAGE_ID_HEADER = "message-id";

    @TempDir
    Path temp;

    @Test
    void aRelayHaltedAfterTheSendAndBeforeTheMarkSendsAgainOnRestartAndTheDatasetIsIngestedOnce() throws Exception {
        Path dataRoot = Files.createDirectories(Path.of("target/system-data").toAbsolutePath());
        Map<String, String> env = Map.of("MLOPS_DATA_ROOT", dataRoot.toString());
        Map<String, String> halting = new HashMap<>(env);
        halting.put("MLOPS_OUTBOX_FAULT_INJECTION_HALT_AFTER_SEND_TO", Topics.DATASET_COMMANDS);
        halting.put("MLOPS_OUTBOX_FAULT_INJECTION_CONFIRM", "halt-the-process");
        String name = "halted-relay-" + UUID.randomUUID().toString().substring(0, 8);
        Path source = TinyImageFolder.write(temp.resolve(name), 0);

        // Only the orchestrator runs until it has sent the row again: every service relays the one outbox
        // table, so an ingestion service running meanwhile would send the row itself.
        String datasetId;
        String row;
        try (ServiceProcess first = ServiceProcess.start("orchestrator", halting)) { // migrates the schema first
            try {
                given().baseUri(first.baseUrl()).auth().oauth2(TOKEN).contentType(ContentType.JSON)
                        .body(Map.of("name", name, "source", source.toString())).post("/datasets");
            } catch (Exception answerLost) {
                // The halt may come before the answer is written (RestAssured throws NoHttpResponseException,
                // an IOException, unchecked): the dataset is committed either way.
            }
            assertThat(first.awaitExit(Duration.ofSeconds(30))).as("exit status of the fault-injected halt")
                    .isEqualTo(HALT_STATUS);
            datasetId = query("SELECT id FROM datasets WHERE name = '" + name + "'");
            row = "FROM outbox WHERE topic = '" + Topics.DATASET_COMMANDS + "' AND message_key = '" + datasetId + "'";
            assertThat(query("SELECT published_at IS NULL " + row)).as("unpublished after the halt").isEqualTo("t");
            assertThat(TopicProbe.recordsWithKey(Infrastructure.kafka(), Topics.DATASET_COMMANDS, datasetId,
                    Duration.ofSeconds(10), Duration.ZERO)).as("sent before the halt").hasSize(1);
        }
        String rowOf = row;
        try (ServiceProcess second = ServiceProcess.start("orchestrator", env)) {
            await(Duration.ofSeconds(30), () -> "f".equals(query("SELECT published_at IS NULL " + rowOf)), second);
            List<ConsumerRecord<String, String>> commands = TopicProbe.recordsWithKey(Infrastructure.kafka(),
                    Topics.DATASET_COMMANDS, datasetId, Duration.ofSeconds(10), Duration.ofSeconds(2));
            assertThat(commands).as("the command, sent again after the restart").hasSize(2);
            assertThat(commands).extracting(r -> new String(r.headers().lastHeader(MESSAGE_ID_HEADER).value(),
                    StandardCharsets.UTF_8)).as("one message, twice").containsOnly(query("SELECT message_id " + row));

            try (ServiceProcess ingestion = ServiceProcess.start("ingestion", env)) {
                String id = datasetId;
                await(Duration.ofMinutes(1), () -> "READY".equals(query("SELECT status FROM datasets WHERE id = '"
                        + id + "'")), ingestion);
                awaitIngestionCaughtUp(ingestion);

                assertThat(TopicProbe.recordsWithKey(Infrastructure.kafka(), Topics.DATASET_EVENTS, datasetId,
                        Duration.ofSeconds(10), Duration.ofSeconds(2))).as("the dataset's outcome events").hasSize(1);
                assertThat(query("SELECT count(*) FROM inbox WHERE consumer = 'ingestion' AND message_id = ("
                        + "SELECT message_id " + row + ")")).isEqualTo("1");
                assertThat(query("SELECT status FROM datasets WHERE id = '" + datasetId + "'")).isEqualTo("READY");
            }
        }
    }

    /** Until the ingestion service's consumer group has committed past every command on the topic. */
    private static void awaitIngestionCaughtUp(ServiceProcess ingestion) throws Exception {
        Properties p = TestKafka.admin(Infrastructure.kafka());
        try (Admin admin = Admin.create(p)) {
            await(Duration.ofSeconds(60), () -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("ingestion")
                            .partitionsToOffsetAndMetadata().get();
                    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                    committed.keySet().stream().filter(tp -> tp.topic().equals(Topics.DATASET_COMMANDS))
                            .forEach(tp -> ends.put(tp, OffsetSpec.latest()));
                    var latest = admin.listOffsets(ends).all().get();
                    return !ends.isEmpty() && ends.keySet().stream().allMatch(tp -> committed.get(tp) != null
                            && committed.get(tp).offset() >= latest.get(tp).offset());
                } catch (Exception e) {
                    return false;
                }
            }, ingestion);
        }
    }

    private static String query(String sql) {
        try (Connection db = Infrastructure.database(); PreparedStatement q = db.prepareStatement(sql);
             ResultSet rs = q.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void await(Duration timeout, BooleanSupplier condition, ServiceProcess watched)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s; log:\n" + watched.tail());
            }
            Thread.sleep(250);
        }
    }
}
