package dev.resnetops.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.testsupport.TestDatasets;
import dev.resnetops.testsupport.TestTokens;
import dev.resnetops.testsupport.TopicProbe;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The transactional outbox across a real crash: the orchestrator commits a job and its command, dies by
 * SIGKILL before publishing, and the command still reaches Kafka, once, after a restart.
 */
class OrchestratorCrashTest {

    // Signed with the test key the services started by ServiceProcess trust.
    private static final String TOKEN = TestTokens.forRole("admin");

    @Test
    void aJobCommittedButNotPublishedIsDeliveredOnceAfterTheOrchestratorIsKilledAndRestarted() throws Exception {
        String jobId;
        // The first instance commits but never publishes: its relay is off, which freezes the moment
        // between the database commit and the send that a crash can hit.
        try (ServiceProcess first = ServiceProcess.start("orchestrator",
                Map.of("MLOPS_OUTBOX_RELAY_ENABLED", "false"))) {
            String dataset = "crash-" + UUID.randomUUID().toString().substring(0, 8);
            try (Connection db = Infrastructure.database()) {
                TestDatasets.ready(db, dataset);
            }
            jobId = given().baseUri(first.baseUrl()).auth().oauth2(TOKEN).contentType(ContentType.JSON)
                    .body("{\"dataset\":\"" + dataset + "\",\"config\":{\"model\":\"resnet50-paper-small\"}}")
                    .post("/jobs").then().statusCode(201).extract().path("id");
            assertThat(publishedAt(jobId)).as("outbox row of the job").isEqualTo("unpublished");
            first.kill();
        }
        assertThat(TopicProbe.recordsWithKey(Infrastructure.kafka(), Topics.TRAINING_COMMANDS, jobId,
                Duration.ofSeconds(3), Duration.ZERO)).as("records before the restart").isEmpty();

        try (ServiceProcess second = ServiceProcess.start("orchestrator", Map.of())) {
            List<ConsumerRecord<String, String>> records = TopicProbe.recordsWithKey(Infrastructure.kafka(),
                    Topics.TRAINING_COMMANDS, jobId, Duration.ofSeconds(30), Duration.ofSeconds(3));
            assertThat(records).hasSize(1);
            assertThat(MessageCodec.fromJson(records.get(0).value(), StartTraining.class).jobId()).hasToString(jobId);
            assertThat(publishedAt(jobId)).isEqualTo("published");
            given().baseUri(second.baseUrl()).auth().oauth2(TOKEN).get("/jobs/" + jobId).then().statusCode(200);
        }
    }

    private static String publishedAt(String jobId) throws Exception {
        try (Connection db = Infrastructure.database();
             PreparedStatement q = db.prepareStatement("SELECT published_at FROM outbox WHERE message_key = ?"
                     + " AND topic = ?")) {
            q.setString(1, jobId);
            q.setString(2, Topics.TRAINING_COMMANDS);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return "missing";
                }
                return rs.getTimestamp(1) == null ? "unpublished" : "published";
            }
        }
    }
}
