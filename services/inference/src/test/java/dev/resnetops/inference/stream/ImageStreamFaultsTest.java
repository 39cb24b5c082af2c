package dev.resnetops.inference.stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.stream.ImageHeaders;
import dev.resnetops.contracts.stream.ServedModel;
import dev.resnetops.inference.config.InferenceConfig;
import dev.resnetops.inference.model.ModelHolder;
import dev.resnetops.inference.model.TestModels;
import dev.resnetops.inference.model.TestModels.FixedModelHolder;
import dev.resnetops.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.config.SmallRyeConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The image stream on the real broker when the model call fails: an exception, an {@link Error} once, an
 * Error every time for one image, a call that never returns; and the model watcher blocked in a registry
 * lookup. The model is a fixed holder and a faked model call ({@link FakeInference}, installed through
 * QuarkusMock in place of {@link BatchInference}): a real model needs training, thus libtorch, which this
 * module must not have. What is real: the service's stream loop, its Kafka transactions, the readiness checks.
 */
@QuarkusTest
@TestProfile(ImageStreamFaultsTest.FakeModel.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageStreamFaultsTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final ServedModel IDENTITY = new ServedModel("inference-faults-" + RUN, "champion", 4, "feed", "fake");

    private static final FakeInference MODEL_CALL = new FakeInference();
    private static FixedModelHolder holder;
    private static KafkaProducer<String, byte[]> images;
    private static KafkaConsumer<String, byte[]> output;
    private static final Map<String, List<ConsumerRecord<String, byte[]>>> predictions = new HashMap<>();
    private static final Map<String, List<ConsumerRecord<String, byte[]>>> deadLetters = new HashMap<>();

    /** A model nobody registers (the fixed holder serves instead), its own group, short stuck limits. */
    public static class FakeModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mlops.inference.model", IDENTITY.name(),
                    "mlops.inference.instance-id", "faults-" + RUN,
                    "mlops.inference.stream.consumer-group", "inference-faults-" + RUN,
                    "mlops.inference.stream.max-batch-wait", "PT0.3S",
                    "mlops.inference.stream.stuck-after", "PT5S",
                    "mlops.inference.watcher-stuck-after", "PT5S",
                    "mlops.inference.registry-poll-interval", "PT1S");
        }
    }

    @BeforeAll
    static void serveAFixedModelFromTheEndOfTheImagesTopic() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        // The stream waits for a model until the holder below is installed: its fresh group starts at the
        // end of the images topic, not at images other tests left there. (The service's own value: the
        // profile may have been loaded by another class loader, with another RUN.)
        startGroupAtTheEnd(bootstrap,
                ConfigProvider.getConfig().getValue("mlops.inference.stream.consumer-group", String.class));
        Properties p = TestKafka.admin(bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        images = new KafkaProducer<>(p);
        Properties c = TestKafka.admin(bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        output = new KafkaConsumer<>(c);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.PREDICTIONS, Topics.IMAGES_DLQ)) {
            output.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        output.assign(partitions);
        output.seekToEnd(partitions);
        partitions.forEach(output::position);

        InferenceConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class)
                .getConfigMapping(InferenceConfig.class);
        holder = new FixedModelHolder(TestModels.withoutSession(IDENTITY), config);
        QuarkusMock.installMockForType(MODEL_CALL, BatchInference.class);
        QuarkusMock.installMockForType(holder, ModelHolder.class);
    }

    @BeforeEach
    void ready() {
        awaitReadiness(r -> r.getInt("statusCode") == 200, "the service ready with the fixed model");
    }

    @AfterAll
    static void close() {
        MODEL_CALL.release();
        if (holder != null) {
            holder.releaseRefreshes();
        }
        if (images != null) {
            images.close();
        }
        if (output != null) {
            output.close();
        }
    }

    @Test
    @Order(1)
    void anImageTheModelThrowsOnIsDeadLetteredWithTheReasonAndTheOtherImagesOfItsBatchAreAnsweredOnce() {
        List<String> good = ids("throws-good", 9);
        String poison = "throws-poison-" + RUN;
        MODEL_CALL.fault(poison, FakeInference.Fault.THROWS);

        send(List.of(good.subList(0, 4), List.of(poison), good.subList(4, 9)));
        awaitOutputs(good, List.of(poison));

        assertAnsweredOnce(good);
        assertThat(predictions).doesNotContainKey(poison);
        ConsumerRecord<String, byte[]> dead = onlyDeadLetter(poison);
        assertThat(header(dead, ImageHeaders.DLQ_REASON)).contains("the model failed on this image")
                .contains("IllegalStateException: ONNX Runtime: unexpected tensor for " + poison);
        assertThat(header(dead, ImageHeaders.DLQ_SOURCE)).startsWith(Topics.IMAGES + "-");
        assertThat(dead.value()).isEqualTo(image(poison));
        assertThat(MODEL_CALL.calls(poison)).as("in its batch, then alone").isEqualTo(2);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("inference_dead_letters_total\\{[^}]*kind=\"model-failed\"[^}]*} [1-9]");
    }

    @Test
    @Order(2)
    void anOutOfMemoryErrorRestartsTheStreamSessionInsteadOfEndingItAndReadinessIsDownUntilItConsumesAgain() {
        List<String> good = ids("oom-good", 9);
        String oom = "oom-once-" + RUN;
        MODEL_CALL.fault(oom, FakeInference.Fault.OUT_OF_MEMORY_ONCE);
        List<JsonPath> seen = new CopyOnWriteArrayList<>();
        Thread watcher = watchReadiness(seen);
        try {
            send(List.of(good.subList(0, 4), List.of(oom), good.subList(4, 9)));
            List<String> all = new ArrayList<>(good);
            all.add(oom);
            awaitOutputs(all, List.of());
            assertAnsweredOnce(all);
            assertThat(deadLetters).doesNotContainKeys(all.toArray(String[]::new));
        } finally {
            watcher.interrupt();
        }
        List<JsonPath> down = seen.stream().filter(r -> r.getInt("statusCode") == 503
                && "DOWN".equals(check(r, "image-stream").get("status"))
                && "RECOVERING".equals(data(check(r, "image-stream")).get("state"))
                && String.valueOf(data(check(r, "image-stream")).get("error")).contains("OutOfMemoryError")).toList();
        assertThat(down).as("readiness snapshots (of %d) with the image-stream check DOWN, RECOVERING from the"
                + " OutOfMemoryError", seen.size()).isNotEmpty();
        assertThat(seen).as("the stream's loop never reported DEAD").noneMatch(r ->
                String.valueOf(data(check(r, "background-loops")).get("image-stream")).startsWith("DEAD"));
        JsonPath after = awaitReadiness(r -> r.getInt("statusCode") == 200, "ready again");
        assertThat(data(check(after, "background-loops")).get("image-stream")).isEqualTo("RUNNING");
        assertThat(data(check(after, "image-stream")).get("state")).isEqualTo("RUNNING");
    }

    @Test
    @Order(3)
    void anImageThatOverflowsTheStackEveryTimeIsDeadLetteredAfterTheSessionRestartsAndTheOthersAreAnsweredOnce() {
        List<String> good = ids("deep-good", 9);
        String deep = "deep-" + RUN;
        MODEL_CALL.fault(deep, FakeInference.Fault.STACK_OVERFLOW);

        send(List.of(good.subList(0, 4), List.of(deep), good.subList(4, 9)));
        awaitOutputs(good, List.of(deep));

        assertAnsweredOnce(good);
        assertThat(predictions).doesNotContainKey(deep);
        assertThat(header(onlyDeadLetter(deep), ImageHeaders.DLQ_REASON)).contains("StackOverflowError");
        awaitReadiness(r -> r.getInt("statusCode") == 200, "ready again");
    }

    @Test
    @Order(4)
    void aStreamBlockedInTheModelIsReportedStuckAndReadinessIsDownUntilItMovesAgain() {
        String blocked = "blocked-" + RUN;
        MODEL_CALL.fault(blocked, FakeInference.Fault.BLOCKS);
        send(List.of(List.of(blocked)));

        JsonPath stuck = awaitReadiness(r -> String.valueOf(data(check(r, "background-loops")).get("image-stream"))
                .startsWith("STUCK"), "the image-stream loop reported STUCK");
        assertThat(stuck.getInt("statusCode")).isEqualTo(503);
        assertThat(check(stuck, "background-loops").get("status")).isEqualTo("DOWN");
        assertThat(check(stuck, "image-stream").get("status")).isEqualTo("DOWN");

        MODEL_CALL.release();
        awaitOutputs(List.of(blocked), List.of());
        assertAnsweredOnce(List.of(blocked));
        awaitReadiness(r -> r.getInt("statusCode") == 200, "ready again once the model call returned");
    }

    @Test
    @Order(5)
    void aModelWatcherBlockedInARegistryLookupIsReportedStuckAndReadinessIsDownUntilItMovesAgain() {
        holder.blockRefreshes();
        JsonPath stuck;
        try {
            stuck = awaitReadiness(r -> String.valueOf(data(check(r, "background-loops")).get("model-watcher"))
                    .startsWith("STUCK"), "the model-watcher loop reported STUCK");
        } finally {
            holder.releaseRefreshes();
        }
        assertThat(stuck.getInt("statusCode")).isEqualTo(503);
        assertThat(check(stuck, "background-loops").get("status")).isEqualTo("DOWN");
        JsonPath after = awaitReadiness(r -> r.getInt("statusCode") == 200, "ready again once the lookup returned");
        assertThat(data(check(after, "background-loops")).get("model-watcher")).isEqualTo("RUNNING");
    }

    @Test
    @Order(6)
    void imagesQueuedBehindASlowModelCallRunInBatchesOfAtMostMaxBatchSizeAndAreAnsweredOnce() {
        int maxBatch = ConfigProvider.getConfig().getValue("mlops.inference.stream.max-batch-size", Integer.class);
        String slow = "slow-" + RUN;
        MODEL_CALL.fault(slow, FakeInference.Fault.SLOW);
        List<String> queued = ids("queued", 3 * maxBatch + 7);

        // While the slow call runs, the rest piles up in the topic: the polls after it read more than a batch.
        send(List.of(List.of(slow)));
        sleep(200);
        send(List.of(queued));
        List<String> all = new ArrayList<>(queued);
        all.add(slow);
        awaitOutputs(all, List.of());

        assertAnsweredOnce(all);
        assertThat(MODEL_CALL.largestCall()).as("images in one model call, max-batch-size %d", maxBatch)
                .isBetween(2, maxBatch);
    }

    private static List<String> ids(String what, int n) {
        return IntStream.range(0, n).mapToObj(i -> what + "-" + i + "-" + RUN).toList();
    }

    private static byte[] image(String requestId) {
        return ("not decoded by the fake model: " + requestId).getBytes(StandardCharsets.UTF_8);
    }

    /** Sends the images group after group on one partition, so they meet in batches in this order. */
    private static void send(List<List<String>> groups) {
        for (List<String> group : groups) {
            for (String id : group) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.IMAGES, 0, RUN, image(id));
                record.headers().add(ImageHeaders.REQUEST_ID, id.getBytes(StandardCharsets.UTF_8));
                images.send(record);
            }
        }
        images.flush();
    }

    /** Reads until each of {@code answered} has a prediction and each of {@code dead} a dead letter, then a little more. */
    private static void awaitOutputs(List<String> answered, List<String> dead) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!predictions.keySet().containsAll(answered) || !deadLetters.keySet().containsAll(dead)) {
            assertThat(System.nanoTime()).as("predictions for %s and dead letters for %s within %d s; predictions %s,"
                    + " dead letters %s", answered, dead, TIMEOUT.toSeconds(), predictions.keySet(), deadLetters.keySet())
                    .isLessThan(deadline);
            readOutputs(Duration.ofMillis(200));
        }
        readOutputs(SETTLE);
    }

    private static void readOutputs(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        do {
            for (ConsumerRecord<String, byte[]> r : output.poll(Duration.ofMillis(100))) {
                String id = header(r, ImageHeaders.REQUEST_ID);
                if (id != null && id.endsWith(RUN)) {
                    (r.topic().equals(Topics.IMAGES_DLQ) ? deadLetters : predictions)
                            .computeIfAbsent(id, k -> new ArrayList<>()).add(r);
                }
            }
        } while (System.nanoTime() < end);
    }

    private static void assertAnsweredOnce(List<String> ids) {
        Map<String, Integer> counts = ids.stream().collect(Collectors.toMap(id -> id,
                id -> predictions.getOrDefault(id, List.of()).size()));
        assertThat(counts).as("predictions per image").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        for (String id : ids) {
            String json = new String(predictions.get(id).get(0).value(), StandardCharsets.UTF_8);
            assertThat(json).contains("\"requestId\":\"" + id + "\"").contains("\"version\":" + IDENTITY.version());
        }
    }

    private static ConsumerRecord<String, byte[]> onlyDeadLetter(String id) {
        assertThat(deadLetters.get(id)).as("dead letters for %s", id).hasSize(1);
        return deadLetters.get(id).get(0);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** /q/health/ready with its HTTP status added as {@code statusCode}. */
    private static JsonPath readiness() {
        var response = given().get("/q/health/ready").then().extract();
        String body = response.asString();
        return new JsonPath("{\"statusCode\":" + response.statusCode() + "," + body.strip().substring(1));
    }

    private static JsonPath awaitReadiness(Predicate<JsonPath> condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JsonPath r = readiness();
            if (condition.test(r)) {
                return r;
            }
            assertThat(System.nanoTime()).as("%s within %d s; readiness now: %s", what, TIMEOUT.toSeconds(),
                    r.prettify()).isLessThan(deadline);
            sleep(100);
        }
    }

    /** Records readiness every 50 ms on a thread of its own until interrupted. */
    private static Thread watchReadiness(List<JsonPath> seen) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                seen.add(readiness());
                sleep(50);
            }
        }, "readiness-watcher");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> check(JsonPath readiness, String name) {
        List<Map<String, Object>> checks = readiness.getList("checks");
        return checks.stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + readiness.prettify()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> check) {
        Object data = check.get("data");
        return data == null ? Map.of() : (Map<String, Object>) data;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates the stream's topics if missing and commits the test's fresh group at the end of the images topic. */
    private static void startGroupAtTheEnd(String bootstrap, String group) throws Exception {
        Properties p = TestKafka.admin(bootstrap);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = List.of(Topics.IMAGES, Topics.PREDICTIONS, Topics.IMAGES_DLQ).stream()
                    .filter(t -> !existing.contains(t)).map(t -> new NewTopic(t, 6, (short) 1)).toList();
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            admin.describeTopics(List.of(Topics.IMAGES)).allTopicNames().get(30, TimeUnit.SECONDS).get(Topics.IMAGES)
                    .partitions().forEach(i -> ends.put(new TopicPartition(Topics.IMAGES, i.partition()),
                            OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> start.put(tp, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(group, start).all().get(30, TimeUnit.SECONDS);
        }
    }
}
