package dev.resnetops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.Topics;
import dev.resnetops.systemtests.FashionMnistImages.TestImage;
import dev.resnetops.systemtests.ImageSender.Sent;
import dev.resnetops.testsupport.TestKafka;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The platform from its images on a real container runtime (podman), scaled out: the compose stack of
 * {@code ./mlops up --containers --scale-out}, with two trainer containers and two inference containers.
 * Two jobs train at once on the two trainers, and one trainer killed mid-job leaves its job to the other,
 * which resumes it; two inference instances share the image stream's partitions, and one killed mid-stream
 * leaves its partitions to the other with every image still answered exactly once.
 *
 * <p>Runs only in the container tier, {@code ./mlops test --containers}, which builds the images, starts
 * the stack on free ports and sets {@code MLOPS_CONTAINER_PROJECT} (the compose project, whose container
 * names are {@code <project>_<service>_1}).
 */
@EnabledIfEnvironmentVariable(named = "MLOPS_CONTAINER_PROJECT", matches = ".+")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerScaleOutSystemTest {

    /** The dataset's name makes the evaluator register versions of the model inference serves by default. */
    private static final String DATASET = "fashion-mnist";
    private static final String MODEL = "resnetops-fashion-mnist";
    /** A CI-sized budget: 192 training images a run at 28 px, three epochs, so a kill lands mid-job. */
    private static final Map<String, Object> BUDGET = Map.of("batchSize", 32, "maxTrainSamples", 192,
            "maxTestSamples", 100, "warmupEpochs", 0, "workers", 1, "epochs", 3);
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(12);
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(4);
    private static final int STREAM_RATE = 20;

    private static PlatformApi api;
    private static String project;
    private static String datasetId;
    private static final List<String> jobs = new ArrayList<>();

    @BeforeAll
    static void ingestFashionMnist() throws Exception {
        project = System.getenv("MLOPS_CONTAINER_PROJECT");
        api = new PlatformApi(required("MLOPS_API_URL"), required("MLOPS_API_TOKEN"));
        // The ingestion container sees the Debian dataset package's folder at the same path (compose.yaml).
        datasetId = api.ingest(DATASET, "/usr/share/datasets/fashion-mnist", Duration.ofMinutes(5));
    }

    @AfterAll
    static void startWhatWasKilled() throws Exception {
        // Leave the stack whole for whoever looks at it after the test.
        for (String service : List.of("trainer-2", "inference-2")) {
            podman("start", container(service));
        }
    }

    @Test
    @Order(1)
    void twoJobsTrainAtOnceOnTheTwoTrainersAndTheKilledTrainersJobIsFinishedByTheOther() throws Exception {
        String experiment = "containers-" + System.currentTimeMillis();
        for (String model : List.of("resnet50-small", "resnet50-paper-small")) {
            Map<String, Object> config = new HashMap<>(BUDGET);
            config.put("model", model);
            jobs.add(api.submit(datasetId, config, experiment));
        }
        Map<String, String> workerOf = awaitBothRunning(Duration.ofMinutes(3));
        assertThat(new HashSet<>(workerOf.values())).as("workers of the two running jobs")
                .containsExactlyInAnyOrder("trainer-1", "trainer-2");

        String doomed = workerOf.entrySet().stream().filter(e -> e.getValue().equals("trainer-2")).findFirst()
                .orElseThrow().getKey();
        String survivor = jobs.stream().filter(j -> !j.equals(doomed)).findFirst().orElseThrow();
        api.awaitEpochs(doomed, 1, TRAINING_TIMEOUT);
        podman("kill", container("trainer-2"));
        long killed = System.nanoTime();
        int epochsAtKill = api.epochs(doomed).size();

        for (String job : jobs) {
            JsonPath done = api.awaitState(job, TRAINING_TIMEOUT, "COMPLETED", "FAILED", "CANCELLED");
            assertThat(done.getString("state")).as(done.prettify()).isEqualTo("COMPLETED");
            assertThat(api.epochs(job)).as("epochs of job %s", job).containsExactly(1, 2, 3);
        }
        JsonPath rescued = api.job(doomed);
        assertThat(rescued.getString("run.worker")).isEqualTo("trainer-1");
        assertThat(rescued.getInt("run.attempt")).isEqualTo(2);
        assertThat(rescued.getList("history.reason", String.class))
                .anySatisfy(r -> assertThat(r).contains("trainer-1").contains("resuming after epoch"));
        assertThat(api.job(survivor).getString("run.worker")).isEqualTo("trainer-1");
        System.out.printf("[containers] two jobs on trainer-1 and trainer-2; trainer-2 killed after %d epoch(s) of"
                + " job %s, which trainer-1 resumed and completed %.0f s later%n", epochsAtKill, doomed,
                (System.nanoTime() - killed) / 1e9);
    }

    @Test
    @Order(2)
    void twoInferenceInstancesShareTheStreamAndTheSurvivorOfAKillAnswersEveryImageExactlyOnce() throws Exception {
        // The evaluator registers both jobs' models (parity-gated ONNX) in this throwaway stack; the better
        // one becomes champion.
        List<Map<String, Object>> versions = api.awaitVersions(MODEL, 2, Duration.ofMinutes(10));
        Map<String, Object> best = versions.stream()
                .max(Comparator.comparingDouble(v -> ((Number) v.get("top1")).doubleValue())).orElseThrow();
        api.promote(MODEL, best.get("version"));

        List<TestImage> pool = FashionMnistImages.testImages(FashionMnistImages.dataset(), 400);
        try (ImageSender sender = new ImageSender(Infrastructure.kafka());
             StreamOutput out = new StreamOutput(Infrastructure.kafka())) {
            // Both instances serve the champion once each has taken part of the stream's partitions.
            Map<String, Integer> sharing = awaitPartitionsShared(Duration.ofMinutes(3));
            ImageSender.Stream stream = sender.stream(pool, STREAM_RATE);
            out.awaitUntil(() -> out.predictionCount() >= 80, ANSWER_TIMEOUT, "predictions before the kill");
            podman("kill", container("inference-2"));
            int answeredAtKill = out.predictionCount();
            int sentAtKill = stream.sent();
            out.awaitUntil(() -> out.predictionCount() >= answeredAtKill + 80, ANSWER_TIMEOUT,
                    "predictions after the kill");
            List<Sent> sent = stream.stop();
            Set<String> ids = sent.stream().map(Sent::requestId).collect(Collectors.toSet());
            out.awaitAnswers(ids, ANSWER_TIMEOUT, Duration.ofSeconds(5));

            List<String> missing = ids.stream().filter(id -> !out.answers().containsKey(id)).toList();
            Map<String, Integer> duplicated = out.answers().entrySet().stream().filter(e -> e.getValue().size() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));
            assertThat(missing).as("images without a prediction (of %d)", ids.size()).isEmpty();
            assertThat(duplicated).as("images with more than one prediction").isEmpty();
            assertThat(out.deadLetters()).isEmpty();
            Map<Integer, Long> byVersion = out.answers().values().stream().map(a -> a.get(0).prediction())
                    .collect(Collectors.groupingBy(p -> p.model().version(), TreeMap::new, Collectors.counting()));
            assertThat(byVersion).containsOnlyKeys(((Number) best.get("version")).intValue());
            Map<String, Integer> after = awaitPartitionsShared(Duration.ZERO);
            assertThat(after).as("the survivor holds every partition").containsOnlyKeys("inference-inference-1");
            System.out.printf("[containers] partitions per instance before the kill %s, after %s; inference-2 killed"
                    + " when %d of %d sent images were answered; %d images, each answered once%n", sharing, after,
                    answeredAtKill, sentAtKill, sent.size());
        }
    }

    /** Waits until both jobs run and returns the worker of each. */
    private static Map<String, String> awaitBothRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, String> workers = new HashMap<>();
            for (String job : jobs) {
                JsonPath j = api.job(job);
                if ("RUNNING".equals(j.getString("state")) && j.getString("run.worker") != null) {
                    workers.put(job, j.getString("run.worker"));
                }
            }
            if (workers.size() == jobs.size()) {
                return workers;
            }
            assertThat(System.nanoTime()).as("both jobs RUNNING within %s", timeout).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /**
     * The image stream's consumer group: partitions per static member ({@code inference-<instance id>}). With
     * a timeout, waits until two members hold partitions; with none, returns what the group holds now.
     */
    private static Map<String, Integer> awaitPartitionsShared(Duration timeout) throws Exception {
        Properties p = TestKafka.admin(Infrastructure.kafka());
        try (Admin admin = Admin.create(p)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Map<String, Integer> partitions = new TreeMap<>();
                for (MemberDescription m : streamGroupMembers(admin)) {
                    long count = m.assignment().topicPartitions().stream()
                            .filter(tp -> tp.topic().equals(Topics.IMAGES)).count();
                    if (count > 0) {
                        partitions.put(m.groupInstanceId().orElse(m.consumerId()), (int) count);
                    }
                }
                if (timeout.isZero() || partitions.size() >= 2) {
                    return partitions;
                }
                assertThat(System.nanoTime()).as("two inference instances sharing %s within %s (now %s)",
                        Topics.IMAGES, timeout, partitions).isLessThan(deadline);
                Thread.sleep(1000);
            }
        }
    }

    /** The members of the image stream's group; none before an instance serves a model and joins it. */
    private static List<MemberDescription> streamGroupMembers(Admin admin) throws Exception {
        try {
            return List.copyOf(admin.describeConsumerGroups(List.of("inference")).all().get(15, TimeUnit.SECONDS)
                    .get("inference").members());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    private static String container(String service) {
        return project + "_" + service + "_1";
    }

    private static void podman(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: ./mlops test --containers sets it from the"
                    + " container stack's infra.env");
        }
        return value;
    }
}
