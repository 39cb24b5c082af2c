package dev.resnetops.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.ModelAliasMoved;
import dev.resnetops.contracts.stream.ImageHeaders;
import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.systemtests.FashionMnistImages.TestImage;
import dev.resnetops.systemtests.ImageSender.Sent;
import dev.resnetops.systemtests.StreamOutput.Answer;
import dev.resnetops.systemtests.TrainedModelVersions.Version;
import dev.resnetops.testsupport.TcpProxy;
import dev.resnetops.testsupport.TestKafka;
import dev.resnetops.testsupport.TestTokens;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.RunInfo;
import dev.resnetops.vision.data.ShardedDataset;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The inference service as a process on the real broker, MLflow and ONNX Runtime, serving two briefly
 * trained versions of a fresh registered model. Every streamed image gets exactly one prediction, and it
 * is the answer the same ONNX file gives offline, through a SIGKILL of the service, a restart of the
 * broker and a hot swap of the champion; bad images reach the dead-letter topic with their reason; REST
 * answers as the stream does; with MLflow cut off (a {@link TcpProxy} between the service and MLflow) the
 * loaded version keeps answering and an alias moved meanwhile is served once MLflow is back. One service
 * instance serves all tests; the ones that disturb it come last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InferenceSystemTest {

    private static final String CHAMPION = "champion";
    /** POST /classify needs a viewer token (the services trust the test key, ServiceProcess). */
    private static final String TOKEN = TestTokens.forRole("viewer");
    /** Test-split images the tests send (round and round when streaming); offline answers are computed once for these. */
    private static final int POOL = 500;
    /** The hot swap streams only these, so version 2's offline answers are needed for fewer images. */
    private static final int SWAP_POOL = 200;
    private static final int TRAIN_IMAGES = 384;
    /** Images a second while a test disturbs the stream: slower than the service, so a backlog shows a stall, not load. */
    private static final int STREAM_RATE = 25;
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(3);
    /** After the last expected prediction, how long to read on for a duplicate. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    /**
     * From the ModelAliasMoved event to the new version served: reading the event, a 45 MB download from
     * MLflow, a session and a warm-up (17 s on a loaded 2-core machine). Below the 45 s a rejoining
     * consumer group used to hold the event back after a broker restart.
     */
    private static final Duration SWAP_TIMEOUT = Duration.ofSeconds(45);
    /**
     * Below this top-2 probability margin the stream and the offline reference may pick different classes:
     * the service classifies in batches, and another batch composition changes ONNX Runtime's summation order.
     */
    private static final double TIE_MARGIN = 1e-4;
    /** The readiness check that names the served version and the last registry problem, as a JSON path. */
    private static final String MODEL_CHECK = "checks.find { it.name == 'model' }";
    private static final String STREAM_CHECK = "checks.find { it.name == 'image-stream' }";

    private static MlflowClient mlflow;
    private static String modelName;
    private static Map<Integer, Version> versions;
    private static Map<Integer, OfflineAnswers> offline;
    private static List<TestImage> pool;
    private static ServiceProcess inference;
    private static ImageSender sender;
    /** Between the service and MLflow, for the registry outage; the test's own MLflow client goes direct. */
    private static TcpProxy mlflowProxy;

    @BeforeAll
    static void registerTwoVersionsAndStartTheService() throws Exception {
        long start = System.nanoTime();
        ShardedDataset data = FashionMnistImages.dataset();
        pool = FashionMnistImages.testImages(data, POOL);
        long imported = System.nanoTime();
        mlflow = Infrastructure.mlflowClient();
        // The versions' integrity records go into PostgreSQL's schema, which the orchestrator migrates at start.
        try (ServiceProcess orchestrator = ServiceProcess.start("orchestrator", Map.of())) {
            System.out.printf("[inference-system-test] schema migrated by the orchestrator at %s%n", orchestrator.baseUrl());
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        modelName = "resnetops-it-" + run;
        Path work = Files.createDirectories(Path.of("target", "inference-system-test", run)).toAbsolutePath();
        versions = new TreeMap<>();
        offline = new HashMap<>();
        for (Version v : TrainedModelVersions.register(mlflow, modelName, data, work.resolve("models"), TRAIN_IMAGES,
                11L, 22L)) {
            versions.put(v.number(), v);
            offline.put(v.number(), new OfflineAnswers(v.onnx()));
        }
        assertThat(versions).containsOnlyKeys(1, 2);
        mlflow.setAlias(modelName, CHAMPION, "1");
        long trained = System.nanoTime();

        String group = "inference-it-" + run;
        prepareTopics(group);
        URI mlflowUri = URI.create(Infrastructure.mlflow());
        mlflowProxy = TcpProxy.start(mlflowUri.getHost(), mlflowUri.getPort());
        Map<String, String> env = Map.of(
                "MLOPS_MLFLOW_URL", "http://127.0.0.1:" + mlflowProxy.port(),
                "MLOPS_INFERENCE_MODEL", modelName,
                "MLOPS_INFERENCE_GROUP", group,
                "MLOPS_INSTANCE_ID", "it-" + run,
                "MLOPS_DATA_ROOT", work.resolve("data").toString(),
                "MLOPS_INFERENCE_CACHE", work.resolve("cache").toString(),
                // Only the ModelAliasMoved event can trigger the hot swap: the test checks the event path.
                "MLOPS_INFERENCE_REGISTRY_POLL", "PT10M");
        // The service starts (a JVM, a model download and warm-up) while this JVM computes the reference answers;
        // ready, not only started (live): it serves the champion.
        CompletableFuture<ServiceProcess> starting = CompletableFuture.supplyAsync(
                () -> ServiceProcess.start("inference", env).awaitReady());
        List<TestImage> swapPool = pool.subList(0, SWAP_POOL);
        try {
            offline.get(1).classifyAll(pool);
            offline.get(2).classifyAll(swapPool);
        } finally {
            inference = starting.join();
        }
        sender = new ImageSender(Infrastructure.kafka());

        long disagreements = swapPool.stream()
                .filter(i -> offline.get(1).of(i).top1() != offline.get(2).of(i).top1()).count();
        double[] accuracy = versions.keySet().stream().mapToDouble(v -> swapPool.stream()
                .filter(i -> offline.get(v).of(i).top1() == i.label()).count() / (double) SWAP_POOL).toArray();
        System.out.printf("[inference-system-test] %s: %d test images as PNG in %.1f s, two versions trained and"
                        + " registered in %.1f s, service ready and offline answers in %.1f s more; Top-1 on %d test"
                        + " images v1 %.3f, v2 %.3f; the versions disagree on %d%n", modelName, POOL,
                (imported - start) / 1e9, (trained - imported) / 1e9, (System.nanoTime() - trained) / 1e9, SWAP_POOL,
                accuracy[0], accuracy[1], disagreements);
        assertThat(disagreements).as("images on which v1 and v2 pick different classes").isPositive();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sender != null) {
            sender.close();
        }
        if (inference != null) {
            inference.close();
        }
        if (offline != null) {
            offline.values().forEach(OfflineAnswers::close);
        }
        if (mlflowProxy != null) {
            mlflowProxy.close();
        }
    }

    @Test
    @Order(1)
    void everyStreamedImageGetsExactlyOnePredictionWithTheTop1OfTheSameOnnxFileOffline() {
        try (StreamOutput out = new StreamOutput(Infrastructure.kafka())) {
            long start = System.nanoTime();
            List<Sent> sent = sender.sendAll(pool);
            out.awaitAnswers(requestIds(sent), ANSWER_TIMEOUT, SETTLE);
            double seconds = (System.nanoTime() - start) / 1e9 - SETTLE.toSeconds();

            assertExactlyOnePredictionEach(out, sent);
            assertThat(out.deadLetters()).isEmpty();
            assertThat(versionsNamed(out, sent)).containsOnlyKeys(1);
            int ties = assertTop1AsOffline(out, sent);
            long correct = sent.stream().filter(s -> answer(out, s).prediction().best().index() == s.image().label())
                    .count();
            System.out.printf("[inference-system-test] %d images answered in %.1f s, top-1 as offline (%d near-ties"
                    + " below %.0e), %d correct%n", sent.size(), seconds, ties, TIE_MARGIN, correct);
        }
    }

    @Test
    @Order(2)
    void corruptImagesAndImagesWithoutRequestIdAreDeadLetteredWithTheirReasonWhileTheGoodOnesAreAnswered() {
        byte[] png = pool.get(0).png();
        byte[] random = new byte[2_000];
        new Random(7).nextBytes(random);
        Map<String, byte[]> badImages = new LinkedHashMap<>();
        badImages.put("random-bytes", random);
        badImages.put("truncated-png", Arrays.copyOf(png, png.length / 2));
        badImages.put("empty", new byte[0]);
        badImages.put("null-value", null);
        badImages.put("no-request-id", png);
        Map<String, String> expectedReason = Map.of("random-bytes", "not a JPEG or PNG", "truncated-png",
                "truncated", "empty", "empty record value", "null-value", "empty record value", "no-request-id",
                "no '" + ImageHeaders.REQUEST_ID + "' header");

        try (StreamOutput out = new StreamOutput(Infrastructure.kafka())) {
            List<Sent> good = new ArrayList<>(sender.sendAll(pool.subList(0, 20)));
            Map<String, RecordMetadata> badSent = new LinkedHashMap<>();
            Map<String, String> badIds = new HashMap<>();
            for (Map.Entry<String, byte[]> bad : badImages.entrySet()) {
                String id = UUID.randomUUID().toString();
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.IMAGES, bad.getKey() + "-" + id,
                        bad.getValue());
                record.headers().add("x-test-case", utf8(bad.getKey()));
                if (!bad.getKey().equals("no-request-id")) {
                    record.headers().add(ImageHeaders.REQUEST_ID, utf8(id));
                    badIds.put(bad.getKey(), id);
                }
                badSent.put(bad.getKey(), sender.sendRaw(record));
            }
            good.addAll(sender.sendAll(pool.subList(20, 40)));

            out.awaitUntil(() -> out.deadLetters().size() >= badImages.size(), ANSWER_TIMEOUT, "the dead letters");
            out.awaitAnswers(requestIds(good), ANSWER_TIMEOUT, SETTLE);

            assertExactlyOnePredictionEach(out, good);
            assertTop1AsOffline(out, good);
            assertThat(out.deadLetters()).hasSize(badImages.size());
            for (ConsumerRecord<String, byte[]> dead : out.deadLetters()) {
                String testCase = StreamOutput.header(dead, "x-test-case");
                assertThat(badImages).as("dead letter %s", dead.key()).containsKey(testCase);
                RecordMetadata original = badSent.get(testCase);
                String reason = StreamOutput.header(dead, ImageHeaders.DLQ_REASON);
                System.out.printf("[inference-system-test] dead letter %s: %s%n", testCase, reason);
                assertThat(reason).as(testCase).containsIgnoringCase(expectedReason.get(testCase));
                assertThat(StreamOutput.header(dead, ImageHeaders.DLQ_SOURCE)).as(testCase)
                        .isEqualTo(Topics.IMAGES + "-" + original.partition() + "@" + original.offset());
                assertThat(StreamOutput.header(dead, ImageHeaders.REQUEST_ID)).as(testCase)
                        .isEqualTo(badIds.get(testCase));
                assertThat(dead.key()).as(testCase).startsWith(testCase + "-");
                assertThat(dead.value()).as(testCase).isEqualTo(badImages.get(testCase));
            }
            assertThat(out.deadLetters()).extracting(d -> StreamOutput.header(d, "x-test-case"))
                    .containsExactlyInAnyOrderElementsOf(badImages.keySet());
            assertThat(out.answers()).as("predictions for the bad images").doesNotContainKeys(
                    badIds.values().toArray(String[]::new));
        }
    }

    @Test
    @Order(3)
    void restAnswersAsTheStreamRefusesACorruptImageWithItsReasonAndTheMetricsShowBothPaths() {
        List<TestImage> few = pool.subList(100, 105);
        byte[] corrupt = "definitely not an image".getBytes(StandardCharsets.UTF_8);
        try (StreamOutput out = new StreamOutput(Infrastructure.kafka())) {
            List<Sent> streamed = sender.sendAll(few);
            String deadId = UUID.randomUUID().toString();
            ProducerRecord<String, byte[]> bad = new ProducerRecord<>(Topics.IMAGES, deadId, corrupt);
            bad.headers().add(ImageHeaders.REQUEST_ID, utf8(deadId));
            sender.sendRaw(bad);
            out.awaitAnswers(requestIds(streamed), ANSWER_TIMEOUT, Duration.ZERO);
            out.awaitUntil(() -> !out.deadLetters().isEmpty(), ANSWER_TIMEOUT, "the corrupt image's dead letter");

            for (Sent s : streamed) {
                String requestId = "rest-" + s.requestId();
                JsonPath rest = given().baseUri(inference.baseUrl()).auth().oauth2(TOKEN).contentType("image/png")
                        .header("X-Request-Id", requestId).body(s.image().png())
                        .post("/classify").then().statusCode(200)
                        .header("Content-Type", "application/json;charset=UTF-8").extract().jsonPath();
                assertThat(rest.getString("requestId")).isEqualTo(requestId);
                assertThat(rest.getInt("model.version")).isEqualTo(1);
                assertThat(rest.getInt("top[0].index")).as("REST vs stream for test image %d", s.image().index())
                        .isEqualTo(answer(out, s).prediction().best().index());
            }
            Sent first = streamed.get(0);
            given().baseUri(inference.baseUrl()).auth().oauth2(TOKEN).multiPart("image", "shirt.png", first.image().png(), "image/png")
                    .post("/classify").then().statusCode(200)
                    .body("top[0].index", org.hamcrest.Matchers.equalTo(answer(out, first).prediction().best().index()));
            String refusal = given().baseUri(inference.baseUrl()).auth().oauth2(TOKEN).contentType("image/png").body(corrupt)
                    .post("/classify").then().statusCode(400).extract().path("message");
            assertThat(refusal).contains("not a JPEG or PNG");
        }

        String metrics = given().baseUri(inference.baseUrl()).get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metric(metrics, "inference_images_total", "outcome=\"classified\"", "source=\"stream\""))
                .isGreaterThanOrEqualTo(few.size());
        assertThat(metric(metrics, "inference_images_total", "outcome=\"classified\"", "source=\"rest\""))
                .isGreaterThanOrEqualTo(few.size() + 1);
        assertThat(metric(metrics, "inference_images_total", "outcome=\"rejected\"", "source=\"rest\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "inference_batch_size_count")).isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "inference_dead_letters_total", "kind=\"undecodable\"")).isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "inference_model_version", "model=\"" + modelName + "\"")).isEqualTo(1);
    }

    /**
     * 32 clients at once and one corrupt image among them: the service's dynamic batching (default settings)
     * runs them in shared model calls, each client gets its own image's answer (the top-1 of the same image
     * sent alone, and of the ONNX file offline, near-ties aside), and the corrupt image alone gets a 400.
     */
    @Test
    @Order(3)
    void concurrentRestRequestsAreBatchedEachGetsItsOwnAnswerAndACorruptImageFailsAlone() throws Exception {
        List<TestImage> images = pool.subList(300, 332);
        byte[] corrupt = "definitely not an image either".getBytes(StandardCharsets.UTF_8);
        Map<Integer, Integer> alone = new HashMap<>();
        for (TestImage image : images.subList(0, 4)) {
            alone.put(image.index(), restPost(image.png(), "alone-" + image.index()).getInt("top[0].index"));
        }
        double batchesBefore = metric(metrics(), "inference_rest_batch_size_count");
        double imagesBefore = metric(metrics(), "inference_rest_batch_size_sum");
        // The caller's token bucket refills (burst 40 at 20 a second) so that none of the 33 gets a 429.
        Thread.sleep(2_500);

        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(images.size() + 1);
        for (int i = 0; i <= images.size(); i++) {
            byte[] body = i == images.size() ? corrupt : images.get(i).png();
            String requestId = i == images.size() ? "corrupt" : "concurrent-" + images.get(i).index();
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return given().baseUri(inference.baseUrl()).auth().oauth2(TOKEN).contentType("image/png")
                        .header("X-Request-Id", requestId).body(body).post("/classify");
            }, clients));
        }
        go.countDown();
        clients.shutdown();

        List<String> mismatches = new ArrayList<>();
        int ties = 0;
        int largestBatch = 0;
        for (int i = 0; i < images.size(); i++) {
            TestImage image = images.get(i);
            Response response = calls.get(i).get(2, TimeUnit.MINUTES);
            assertThat(response.statusCode()).as("image %d: %s", image.index(), response.asString()).isEqualTo(200);
            JsonPath answer = response.jsonPath();
            assertThat(answer.getString("requestId")).isEqualTo("concurrent-" + image.index());
            assertThat(answer.getInt("model.version")).isEqualTo(1);
            largestBatch = Math.max(largestBatch, answer.getInt("batchSize"));
            int top1 = answer.getInt("top[0].index");
            OfflineAnswers.Answer expected = offline.get(1).of(image);
            int reference = alone.getOrDefault(image.index(), expected.top1());
            if (top1 != reference || top1 != expected.top1()) {
                if (expected.margin() < TIE_MARGIN) {
                    ties++;
                } else {
                    mismatches.add("test image " + image.index() + ": concurrent " + top1 + ", alone "
                            + alone.get(image.index()) + ", offline " + expected.top1());
                }
            }
        }
        Response refused = calls.get(images.size()).get(2, TimeUnit.MINUTES);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.jsonPath().getString("message")).contains("not a JPEG or PNG");
        assertThat(mismatches).as("top-1 of a concurrent request different from the image's own").isEmpty();
        assertThat(ties).as("near-ties that came out the other way").isLessThanOrEqualTo(1);

        String metrics = metrics();
        double batches = metric(metrics, "inference_rest_batch_size_count") - batchesBefore;
        double batched = metric(metrics, "inference_rest_batch_size_sum") - imagesBefore;
        System.out.printf("[inference-system-test] %d concurrent REST images ran in %.0f model calls (largest %d)%n",
                images.size(), batches, largestBatch);
        assertThat(batched).as("images the model ran for the concurrent requests").isEqualTo(images.size());
        assertThat(batches).as("model calls for %d concurrent images", images.size()).isLessThan(images.size());
        assertThat(largestBatch).as("the largest batch a prediction names").isGreaterThan(1);
        assertThat(metric(metrics, "inference_rest_batch_size_max")).isGreaterThan(1);
        assertThat(metric(metrics, "inference_rest_queue_wait_seconds_count")).isGreaterThanOrEqualTo(images.size());
        assertThat(metric(metrics, "inference_rest_queue_depth")).isZero();
    }

    private static JsonPath restPost(byte[] png, String requestId) {
        return given().baseUri(inference.baseUrl()).auth().oauth2(TOKEN).contentType("image/png")
                .header("X-Request-Id", requestId).body(png).post("/classify").then().statusCode(200)
                .extract().jsonPath();
    }

    private static String metrics() {
        return given().baseUri(inference.baseUrl()).get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    @Order(4)
    void afterASigkillMidStreamTheRestartedServiceAnswersEveryImageExactlyOnce() throws Exception {
        try (StreamOutput out = new StreamOutput(Infrastructure.kafka())) {
            ImageSender.Stream stream = sender.stream(pool, STREAM_RATE);
            out.awaitUntil(() -> out.predictionCount() >= 60, ANSWER_TIMEOUT, "predictions before the kill");
            inference.kill();
            int answeredAtKill = out.predictionCount();
            int sentAtKill = stream.sent();

            inference = inference.restart().awaitReady();
            assertThat(stream.sent()).as("images sent while the service was down").isGreaterThan(sentAtKill);
            List<Sent> sent = recoverThenAnswerEachOnce(out, stream, "predictions from the restarted service");
            System.out.printf("[inference-system-test] SIGKILL when %d of %d sent images were answered; %d images in"
                    + " all, each answered once%n", answeredAtKill, sentAtKill, sent.size());
        }
    }

    @Test
    @Order(5)
    void aBrokerRestartMidStreamLosesAndDuplicatesNoPrediction() throws Exception {
        Path state = throwawayInfrastructure();
        try (StreamOutput out = new StreamOutput(Infrastructure.kafka())) {
            ImageSender.Stream stream = sender.stream(pool, STREAM_RATE);
            out.awaitUntil(() -> out.predictionCount() >= 60, ANSWER_TIMEOUT, "predictions before the restart");
            long down = System.nanoTime();
            int sentAtRestart = stream.sent();
            restartKafka(state);
            double restartSeconds = (System.nanoTime() - down) / 1e9;
            assertThat(stream.sent()).as("images sent while the broker restarted").isGreaterThan(sentAtRestart);
            List<Sent> sent = recoverThenAnswerEachOnce(out, stream, "predictions after the broker restart");
            System.out.printf("[inference-system-test] broker restart took %.1f s; %d images, each answered once%n",
                    restartSeconds, sent.size());
        }
    }

    @Test
    @Order(6)
    void movingTheChampionAliasMidStreamSwitchesToVersion2WithoutLosingOrDuplicatingAnImage() throws Exception {
        try (StreamOutput out = new StreamOutput(Infrastructure.kafka())) {
            ImageSender.Stream stream = sender.stream(pool.subList(0, SWAP_POOL), STREAM_RATE);
            out.awaitUntil(() -> out.predictionCount() >= 60, ANSWER_TIMEOUT, "predictions before the alias moves");
            moveChampionTo(2);
            long moved = System.nanoTime();
            long deadline = moved + SWAP_TIMEOUT.toNanos();
            while (servedVersion() != 2) {
                assertThat(System.nanoTime()).as("the service serves version 2 within %d s of the ModelAliasMoved event"
                        + " (the registry poll is 10 min: only the event can have triggered it)", SWAP_TIMEOUT.toSeconds())
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
            double switchSeconds = (System.nanoTime() - moved) / 1e9;
            out.awaitUntil(() -> countByVersion(out, 2) >= 60, ANSWER_TIMEOUT, "60 predictions by version 2");
            List<Sent> sent = stream.stop();
            out.awaitAnswers(requestIds(sent), ANSWER_TIMEOUT, SETTLE);

            assertExactlyOnePredictionEach(out, sent);
            assertThat(out.deadLetters()).isEmpty();
            assertThat(versionsNamed(out, sent)).containsOnlyKeys(1, 2);
            int ties = assertTop1AsOffline(out, sent);
            // One consumer classifies batch after batch, each with the model current at its start: within a
            // partition, once an image was answered by version 2, every later one is too.
            Map<Integer, List<Sent>> byPartition = sent.stream().collect(Collectors.groupingBy(Sent::partition));
            for (Map.Entry<Integer, List<Sent>> partition : byPartition.entrySet()) {
                List<Integer> order = partition.getValue().stream().sorted(Comparator.comparingLong(Sent::offset))
                        .map(s -> answer(out, s).prediction().model().version()).toList();
                assertThat(order).as("versions in offset order on partition %d", partition.getKey()).isSorted();
            }
            assertThat(servedVersion()).isEqualTo(2);
            System.out.printf("[inference-system-test] hot swap: %s predictions by version; version 2 served %.1f s"
                    + " after the event; top-1 as offline for the version named (%d near-ties)%n", versionsNamed(out, sent),
                    switchSeconds, ties);
        }
    }

    @Test
    @Order(7)
    void withMlflowDownTheLoadedVersionKeepsAnsweringAndAnAliasMovedMeanwhileIsServedOnceMlflowIsBack()
            throws Exception {
        int loaded = servedVersion();
        int moved = loaded == 2 ? 1 : 2;
        // Within the swap pool: both versions' offline answers are known for these.
        List<TestImage> images = pool.subList(150, 190);
        try (StreamOutput out = new StreamOutput(Infrastructure.kafka())) {
            mlflowProxy.down();
            try {
                // The registry moves (this test reaches MLflow directly) and the event arrives: the watcher's
                // lookup for the event fails, and so do its retries every 2 s (the periodic lookup's path).
                moveChampionTo(moved);
                JsonPath health = awaitReadiness(h -> h.getString(MODEL_CHECK + ".data.registry") != null,
                        "the registry problem in the model check");
                System.out.printf("[inference-system-test] MLflow down: readiness %s, model check %s: %s%n",
                        health.getString("status"), health.getString(MODEL_CHECK + ".status"),
                        health.getString(MODEL_CHECK + ".data.registry"));
                assertThat(health.getString("status")).as("readiness with MLflow down").isEqualTo("UP");
                assertThat(health.getString(MODEL_CHECK + ".status")).isEqualTo("UP");
                assertThat(health.getInt(MODEL_CHECK + ".data.version")).isEqualTo(loaded);

                List<Sent> sent = sender.sendAll(images);
                out.awaitAnswers(requestIds(sent), ANSWER_TIMEOUT, SETTLE);
                assertExactlyOnePredictionEach(out, sent);
                assertThat(out.deadLetters()).isEmpty();
                assertThat(versionsNamed(out, sent)).containsOnlyKeys(loaded);
                assertTop1AsOffline(out, sent);
                for (Sent s : sent.subList(0, 3)) {
                    given().baseUri(inference.baseUrl()).auth().oauth2(TOKEN).contentType("image/png").body(s.image().png())
                            .post("/classify").then().statusCode(200)
                            .body("model.version", org.hamcrest.Matchers.equalTo(loaded))
                            .body("top[0].index", org.hamcrest.Matchers.equalTo(answer(out, s).prediction().best().index()));
                }
                assertThat(awaitReadiness(h -> true, "readiness").getString(MODEL_CHECK + ".data.registry"))
                        .as("still failing after the stream and REST answered").isNotNull();
            } finally {
                mlflowProxy.up();
            }
            long back = System.nanoTime();
            long deadline = back + SWAP_TIMEOUT.toNanos();
            while (servedVersion() != moved) {
                assertThat(System.nanoTime()).as("version %d served within %d s of MLflow coming back", moved,
                        SWAP_TIMEOUT.toSeconds()).isLessThan(deadline);
                Thread.sleep(200);
            }
            JsonPath health = awaitReadiness(h -> h.getString(MODEL_CHECK + ".data.registry") == null,
                    "the registry problem cleared");
            assertThat(health.getString("status")).isEqualTo("UP");
            System.out.printf("[inference-system-test] MLflow back: version %d served %.1f s later%n", moved,
                    (System.nanoTime() - back) / 1e9);
        }
    }

    @Test
    @Order(8)
    void anIdleStreamWhoseBrokerIsAwayIsNotReadyAndAnswersAgainOnceItIsBack() throws Exception {
        Path state = throwawayInfrastructure();
        awaitReadiness(h -> "UP".equals(h.getString(STREAM_CHECK + ".status")), "the image stream consuming");
        // No image is in flight: nothing fails in the stream, only the consumer's heartbeat can tell.
        long down = System.nanoTime();
        infra(state, "stop", "kafka");
        JsonPath away;
        try {
            away = awaitReadiness(h -> "DOWN".equals(h.getString(STREAM_CHECK + ".status")),
                    "the image-stream check DOWN while the broker is away");
        } finally {
            infra(state, "start", "kafka");
        }
        double noticed = (System.nanoTime() - down) / 1e9;
        assertThat(away.getString("status")).as("readiness while the broker is away").isEqualTo("DOWN");
        assertThat(away.getString(STREAM_CHECK + ".data.state")).isIn("BROKER_UNREACHABLE", "RECOVERING");
        awaitReadiness(h -> "UP".equals(h.getString(STREAM_CHECK + ".status")), "the image stream consuming again");
        try (StreamOutput out = new StreamOutput(Infrastructure.kafka())) {
            List<Sent> sent = sender.sendAll(pool.subList(0, 30));
            out.awaitAnswers(requestIds(sent), ANSWER_TIMEOUT, SETTLE);
            assertExactlyOnePredictionEach(out, sent);
            assertThat(out.deadLetters()).isEmpty();
        }
        System.out.printf("[inference-system-test] idle stream, broker stopped: readiness DOWN (%s) after %.1f s;"
                + " 30 images answered once each after the broker was back%n",
                away.getString(STREAM_CHECK + ".data.state"), noticed);
    }

    @Test
    @Order(9)
    void aVersionWhoseFileWasReplacedInMlflowIsRefusedEvenWithItsTagRewrittenAndTheServedOneKeepsAnswering()
            throws Exception {
        int loaded = servedVersion();
        Version recorded = versions.get(loaded == 2 ? 1 : 2);
        Version forged = versions.get(loaded);
        // Version 3 as the evaluator registers it: its run's file, its tag, its PostgreSQL record.
        RunInfo run = mlflow.createRun(mlflow.experimentIdFor("resnetops-inference-system-test"), modelName + "-v3",
                Instant.now(), Map.of());
        mlflow.uploadArtifact(run, recorded.onnx(), "model");
        String v3 = mlflow.createModelVersion(modelName, run.artifactSource("model"), run.runId(),
                Map.of(TrainedModelVersions.TAG_ONNX_SHA256, recorded.sha256()), "recorded, then replaced").version();
        TrainedModelVersions.recordIntegrity(modelName, Integer.parseInt(v3), recorded.sha256(), recorded.onnx());
        // Someone who may write to MLflow replaces the file with another (valid) model and rewrites the tag.
        mlflow.uploadArtifact(run, forged.onnx(), "model");
        mlflow.setModelVersionTag(modelName, v3, TrainedModelVersions.TAG_ONNX_SHA256, forged.sha256());
        mlflow.setAlias(modelName, CHAMPION, v3);
        publish(ModelAliasMoved.of(modelName, CHAMPION, Integer.parseInt(v3), UUID.randomUUID(),
                run.artifactSource("model"), forged.sha256()));

        JsonPath health = awaitReadiness(h -> String.valueOf(h.getString(MODEL_CHECK + ".data.registry"))
                .contains("version " + v3), "the refusal of version " + v3 + " in the model check");
        String refusal = health.getString(MODEL_CHECK + ".data.registry");
        System.out.printf("[inference-system-test] replaced file of version %s refused: %s%n", v3, refusal);
        assertThat(refusal).contains("SHA-256 " + forged.sha256()).contains("recorded SHA-256 " + recorded.sha256())
                .contains("rewritten to match");
        assertThat(health.getInt(MODEL_CHECK + ".data.version")).isEqualTo(loaded);
        given().baseUri(inference.baseUrl()).auth().oauth2(TOKEN).contentType("image/png").body(pool.get(0).png())
                .post("/classify").then().statusCode(200).body("model.version", org.hamcrest.Matchers.equalTo(loaded));
        mlflow.setAlias(modelName, CHAMPION, Integer.toString(loaded));
    }

    /** Polls /q/health/ready (any status) until {@code condition} holds on its JSON. */
    private static JsonPath awaitReadiness(java.util.function.Predicate<JsonPath> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        while (true) {
            JsonPath health = given().baseUri(inference.baseUrl()).get("/q/health/ready").then().extract().jsonPath();
            if (condition.test(health)) {
                return health;
            }
            assertThat(System.nanoTime()).as("%s within %d s; last readiness: %s", what, ANSWER_TIMEOUT.toSeconds(),
                    health.prettify()).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** The version /q/health/ready reports as served. */
    private static int servedVersion() {
        return given().baseUri(inference.baseUrl()).get("/q/health/ready").then().statusCode(200).extract().jsonPath()
                .getInt("checks.find { it.name == 'model' }.data.version");
    }

    /** Every sent image has exactly one prediction, keyed and headed with its request id; nothing else arrived. */
    /**
     * After a disruption: waits for 60 more predictions (so the stream has recovered), stops sending, and
     * checks every image sent was answered exactly once, none dead-lettered, each as the offline model does.
     */
    private static List<Sent> recoverThenAnswerEachOnce(StreamOutput out, ImageSender.Stream stream, String what)
            throws Exception {
        int answeredSoFar = out.predictionCount();
        out.awaitUntil(() -> out.predictionCount() >= answeredSoFar + 60, ANSWER_TIMEOUT, what);
        List<Sent> sent = stream.stop();
        out.awaitAnswers(requestIds(sent), ANSWER_TIMEOUT, SETTLE);

        assertExactlyOnePredictionEach(out, sent);
        assertThat(out.deadLetters()).isEmpty();
        assertTop1AsOffline(out, sent);
        return sent;
    }

    private static void assertExactlyOnePredictionEach(StreamOutput out, List<Sent> sent) {
        Set<String> ids = requestIds(sent);
        List<String> missing = ids.stream().filter(id -> !out.answers().containsKey(id)).toList();
        Map<String, Integer> duplicated = out.answers().entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));
        List<String> strangers = out.answers().keySet().stream().filter(id -> !ids.contains(id)).toList();
        assertThat(missing).as("images without a prediction (of %d)", ids.size()).isEmpty();
        assertThat(duplicated).as("images with more than one prediction").isEmpty();
        assertThat(strangers).as("predictions for request ids this test did not send").isEmpty();
        for (List<Answer> answers : out.answers().values()) {
            Answer a = answers.get(0);
            assertThat(a.key()).isEqualTo(a.prediction().requestId());
            assertThat(a.requestIdHeader()).isEqualTo(a.prediction().requestId());
            assertThat(a.prediction().model().name()).isEqualTo(modelName);
            assertThat(a.prediction().model().alias()).isEqualTo(CHAMPION);
        }
    }

    /**
     * Each prediction's top-1 is the offline top-1 of the version it names, whose file hash it carries;
     * returns the disagreements allowed as near-ties, which must stay rare.
     */
    private static int assertTop1AsOffline(StreamOutput out, List<Sent> sent) {
        List<String> mismatches = new ArrayList<>();
        int ties = 0;
        for (Sent s : sent) {
            Prediction p = answer(out, s).prediction();
            Version version = versions.get(p.model().version());
            assertThat(version).as("the version named by %s", p.requestId()).isNotNull();
            assertThat(p.model().sha256()).isEqualTo(version.sha256());
            OfflineAnswers.Answer expected = offline.get(version.number()).of(s.image());
            if (p.best().index() != expected.top1()) {
                if (expected.margin() < TIE_MARGIN) {
                    ties++;
                } else {
                    mismatches.add("test image " + s.image().index() + " (v" + version.number() + "): stream "
                            + p.best().index() + ", offline " + expected.top1() + " by a margin of " + expected.margin());
                }
            }
        }
        assertThat(mismatches).as("top-1 different from the offline classification").isEmpty();
        assertThat(ties).as("near-ties that came out the other way").isLessThanOrEqualTo(Math.max(1, sent.size() / 100));
        return ties;
    }

    private static Map<Integer, Long> versionsNamed(StreamOutput out, List<Sent> sent) {
        return sent.stream().collect(Collectors.groupingBy(s -> answer(out, s).prediction().model().version(),
                TreeMap::new, Collectors.counting()));
    }

    private static long countByVersion(StreamOutput out, int version) {
        return out.answers().values().stream().filter(a -> a.get(0).prediction().model().version() == version).count();
    }

    private static Answer answer(StreamOutput out, Sent sent) {
        return out.answers().get(sent.requestId()).get(0);
    }

    private static Set<String> requestIds(List<Sent> sent) {
        return sent.stream().map(Sent::requestId).collect(Collectors.toSet());
    }

    /** What the orchestrator's promotion does: the registry first, then the event (through its outbox). */
    private static void moveChampionTo(int version) throws Exception {
        mlflow.setAlias(modelName, CHAMPION, Integer.toString(version));
        Version v = versions.get(version);
        publish(ModelAliasMoved.of(modelName, CHAMPION, version, UUID.randomUUID(),
                mlflow.getModelVersion(modelName, Integer.toString(version)).source(), v.sha256()));
    }

    /** The event the orchestrator publishes when it moves an alias. */
    private static void publish(ModelAliasMoved event) throws Exception {
        Properties p = TestKafka.admin(Infrastructure.kafka());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(event.topic(), event.key(), MessageCodec.toJson(event)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The state folder of the infrastructure {@code ./mlops test} started for this run, checked to be the one
     * whose broker this JVM talks to: the harness exports MLOPS_INFRA_STATE with the addresses of its
     * infra.env, and a test that restarts a broker must never restart someone's ./mlops up stack. Fails (not
     * skips) when it cannot tell, so a run that leaves the broker restart out says so.
     */
    private static Path throwawayInfrastructure() throws Exception {
        String state = System.getenv("MLOPS_INFRA_STATE");
        assertThat(state).as("MLOPS_INFRA_STATE in the test JVM's environment: restarting the broker needs the"
                + " throwaway infrastructure of ./mlops test, which exports it. With MLOPS_TEST_INFRA=0 (the stack of"
                + " ./mlops up) this test does not restart your broker: run ./mlops test without it, or leave this"
                + " test out with -Dtest='!InferenceSystemTest#aBrokerRestartMidStreamLosesAndDuplicatesNoPrediction'")
                .isNotBlank();
        Path env = Path.of(state).resolve("infra.env");
        assertThat(env).as("the infra.env of MLOPS_INFRA_STATE=%s (written by infra.sh up)", state).isRegularFile();
        String bootstrap = Files.readAllLines(env).stream().filter(l -> l.startsWith("MLOPS_KAFKA_BOOTSTRAP="))
                .map(l -> l.substring("MLOPS_KAFKA_BOOTSTRAP=".length()).strip()).findFirst().orElse(null);
        assertThat(bootstrap).as("the broker of %s, which a restart would restart, is the one this JVM uses"
                + " (MLOPS_KAFKA_BOOTSTRAP=%s): the harness's variables did not reach the test JVM as exported", env,
                Infrastructure.kafka()).isEqualTo(Infrastructure.kafka());
        return Path.of(state);
    }

    /** {@code ./mlops restart kafka} on the test's own infrastructure: the same state folder and ports. */
    private static void restartKafka(Path state) throws Exception {
        infra(state, "restart", "kafka");
    }

    /** {@code deploy/local/infra.sh <action> <part>} on the test's own infrastructure (restart, stop, start). */
    private static void infra(Path state, String action, String part) throws Exception {
        Path log = Files.createDirectories(Path.of("target/service-logs"))
                .resolve(part + "-" + action + "-" + System.currentTimeMillis() + ".log");
        ProcessBuilder builder = new ProcessBuilder(Infrastructure.repoRoot().resolve("deploy/local/infra.sh").toString(),
                action, part).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MLOPS_INFRA_STATE", state.toString());
        // The script's 60 s default is for a developer's machine; a loaded CI machine can take longer.
        builder.environment().putIfAbsent("MLOPS_KAFKA_TIMEOUT", "180");
        Process process = builder.start();
        boolean done = process.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            process.destroyForcibly();
        }
        assertThat(done && process.exitValue() == 0).as("infra.sh %s %s:%n%s", action, part, Files.readString(log))
                .isTrue();
    }

    /**
     * The stream's topics with the platform's partition count (the service, unlike the others, does not
     * create them), and the fresh consumer group committed at the end of the images topic: on a long-lived
     * stack, images of earlier runs are not this test's to classify.
     */
    private static void prepareTopics(String group) throws Exception {
        Properties p = TestKafka.admin(Infrastructure.kafka());
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = List.of(Topics.IMAGES, Topics.PREDICTIONS, Topics.IMAGES_DLQ, Topics.MODEL_EVENTS)
                    .stream().filter(t -> !existing.contains(t)).map(t -> new NewTopic(t, 6, (short) 1)).toList();
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            admin.describeTopics(List.of(Topics.IMAGES)).allTopicNames().get(30, TimeUnit.SECONDS).get(Topics.IMAGES)
                    .partitions().forEach(info -> ends.put(new TopicPartition(Topics.IMAGES, info.partition()),
                            OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets =
                    admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            offsets.forEach((tp, info) -> start.put(tp, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(group, start).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The sum over the series of a Prometheus metric whose labels include all of {@code labels}. */
    private static double metric(String exposition, String name, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+(\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(exposition);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            String labelSet = m.group(1) == null ? "" : m.group(1);
            if (Arrays.stream(labels).allMatch(labelSet::contains)) {
                sum += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        assertThat(found).as("metric %s%s on /q/metrics", name, Arrays.toString(labels)).isTrue();
        return sum;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
