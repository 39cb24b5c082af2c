package dev.resnetops.orchestrator.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.resnetops.apisecurity.Roles;
import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.DatasetFailed;
import dev.resnetops.contracts.messages.DatasetReady;
import dev.resnetops.contracts.messages.EpochCompleted;
import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.contracts.messages.TrainingProgress;
import dev.resnetops.contracts.messages.TrainingStarted;
import dev.resnetops.orchestrator.rest.ServerPaths;
import dev.resnetops.testsupport.TestDatasets;
import dev.resnetops.testsupport.TestKafka;
import dev.resnetops.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /jobs/{id}/events and /datasets/{id}/events against the real broker and PostgreSQL. */
@QuarkusTest
class LiveEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource db;

    @Inject
    PlatformEventFeed feed;

    @TestHTTPResource("/")
    URI api;

    private KafkaProducer<String, String> producer;

    @BeforeEach
    void producerAndALiveFeed() throws Exception {
        Properties props = TestKafka.admin(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(props);
        // The feed starts at the newest offset once its partitions are assigned: publish until it sees one.
        UUID probe = UUID.randomUUID();
        List<Message> seen = new CopyOnWriteArrayList<>();
        var subscription = feed.about(probe.toString()).subscribe().with(seen::add);
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                publish(TrainingProgress.of(probe, 1, 1, 1, 10, 2.0, 0.1, 5.0, 60));
                Thread.sleep(500);
            }
            assertThat(seen).as("the live feed receives events").isNotEmpty();
        } finally {
            subscription.cancel();
        }
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void aJobsStreamIsItsSnapshotThenItsEventsThenTheFinalSnapshot() throws Exception {
        String job = submitJob();
        try (SseRecorder stream = SseRecorder.open(api.resolve("/jobs/" + job + "/events"))) {
            assertThat(stream.status()).isEqualTo(200);
            SseRecorder.Event first = stream.next(WAIT);
            assertThat(first.name()).isEqualTo("job");
            assertThat(first.data().path("state").asText()).isEqualTo("QUEUED");

            UUID id = UUID.fromString(job);
            publish(TrainingStarted.of(id, 1, "worker-a", "cpu", 0, 2));
            producer.send(new ProducerRecord<>(Topics.TRAINING_EVENTS, job, "{not json")).get();
            publish(TrainingProgress.of(UUID.randomUUID(), 1, 2, 3, 10, 1.5, 0.1, 9.0, 30)); // another job
            publish(TrainingProgress.of(id, 1, 2, 4, 10, 1.25, 0.1, 9.5, 25));
            publish(EpochCompleted.of(id, 1, 1.1, 0.1, 0.42, 0.91, 1.3, 9.5, 12.0));
            setState(id, "COMPLETED");
            publish(TrainingFinished.completed(id, "/data/jobs/" + job + "/checkpoint", 2, 0.5, 0.95, "run-1"));

            assertThat(stream.next(WAIT).name()).isEqualTo("TrainingStarted");
            SseRecorder.Event progress = stream.next(WAIT);
            assertThat(progress.name()).isEqualTo("TrainingProgress");
            assertThat(progress.data().path("step").asInt()).isEqualTo(4);
            assertThat(progress.data().path("type").asText()).isEqualTo("TrainingProgress");
            SseRecorder.Event epoch = stream.next(WAIT);
            assertThat(epoch.name()).isEqualTo("EpochCompleted");
            assertThat(epoch.data().path("valTop1").asDouble()).isEqualTo(0.42);
            assertThat(stream.next(WAIT).name()).isEqualTo("TrainingFinished");
            SseRecorder.Event last = stream.next(WAIT);
            assertThat(last.name()).isEqualTo("job");
            assertThat(last.data().path("state").asText()).isEqualTo("COMPLETED");
            assertThat(stream.endsWithin(WAIT)).as("the stream ends after the final snapshot").isTrue();
        }
    }

    @Test
    void aJobThatHasEndedGetsItsSnapshotOnly() throws Exception {
        String job = submitJob();
        given().auth().oauth2(token()).when().post("/jobs/" + job + "/cancel").then().statusCode(202);
        try (SseRecorder stream = SseRecorder.open(api.resolve("/jobs/" + job + "/events"))) {
            SseRecorder.Event only = stream.next(WAIT);
            assertThat(only.name()).isEqualTo("job");
            assertThat(only.data().path("state").asText()).isEqualTo("CANCELLED");
            assertThat(stream.endsWithin(WAIT)).isTrue();
        }
    }

    @Test
    void anUnknownJobOrDatasetIsA404BeforeAnyStream() {
        given().accept("text/event-stream").when().get("/jobs/" + UUID.randomUUID() + "/events")
                .then().statusCode(404).body(containsString("no job"));
        given().accept("text/event-stream").when().get("/datasets/" + UUID.randomUUID() + "/events")
                .then().statusCode(404);
    }

    @Test
    void aDatasetsStreamEndsWithItsFinalSnapshot() throws Exception {
        String name = "live-" + UUID.randomUUID().toString().substring(0, 8);
        UUID dataset = TestDatasets.ingesting(db, name);
        try (SseRecorder stream = SseRecorder.open(api.resolve("/datasets/" + dataset + "/events"))) {
            SseRecorder.Event first = stream.next(WAIT);
            assertThat(first.name()).isEqualTo("dataset");
            assertThat(first.data().path("status").asText()).isEqualTo("INGESTING");

            try (Connection c = db.getConnection();
                 PreparedStatement update = c.prepareStatement(
                         "UPDATE datasets SET status = 'FAILED', error = 'no images in /src' WHERE id = ?")) {
                update.setObject(1, dataset);
                update.executeUpdate();
            }
            publish(DatasetReady.of(UUID.randomUUID(), UUID.randomUUID(), "hash", "/data/shards/hash", List.of("a"),
                    Map.of("train", 2), 0)); // another dataset's
            publish(DatasetFailed.of(dataset, "no images in /src"));

            SseRecorder.Event failed = stream.next(WAIT);
            assertThat(failed.name()).isEqualTo("DatasetFailed");
            assertThat(failed.data().path("reason").asText()).isEqualTo("no images in /src");
            SseRecorder.Event last = stream.next(WAIT);
            assertThat(last.name()).isEqualTo("dataset");
            assertThat(last.data().path("status").asText()).isEqualTo("FAILED");
            assertThat(stream.endsWithin(WAIT)).isTrue();
        }
    }

    @Test
    void aViewersDatasetStreamHidesServerPathsInSnapshotsAndEvents() throws Exception {
        String name = "live-" + UUID.randomUUID().toString().substring(0, 8);
        UUID dataset = TestDatasets.ingesting(db, name);
        // SseRecorder streams with a viewer's token.
        try (SseRecorder stream = SseRecorder.open(api.resolve("/datasets/" + dataset + "/events"))) {
            SseRecorder.Event first = stream.next(WAIT);
            assertThat(first.data().path("source").asText()).isEqualTo(ServerPaths.HIDDEN);

            publish(DatasetReady.of(dataset, UUID.randomUUID(), "hash", "/srv/data/shards/hash", List.of("a"),
                    Map.of("train", 2), 0));
            SseRecorder.Event ready = stream.next(WAIT);
            assertThat(ready.name()).isEqualTo("DatasetReady");
            assertThat(ready.data().path("shardLocation").asText()).isEqualTo(ServerPaths.HIDDEN);
            assertThat(ready.data().toString()).doesNotContain("/srv/data");
        }
    }

    private String submitJob() throws Exception {
        String name = "live-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatasets.ready(db, name);
        return given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body("{\"dataset\":\"" + name + "\",\"config\":{\"model\":\"resnet18-small\",\"epochs\":2}}")
                .when().post("/jobs").then().statusCode(201).extract().path("id");
    }

    private void setState(UUID job, String state) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE jobs SET state = ? WHERE id = ?")) {
            update.setString(1, state);
            update.setObject(2, job);
            update.executeUpdate();
        }
    }

    private void publish(Message message) throws Exception {
        producer.send(new ProducerRecord<>(message.topic(), message.key(), MessageCodec.toJson(message))).get();
    }

    private static String token() {
        return TestTokens.forRole(Roles.ADMIN);
    }
}
