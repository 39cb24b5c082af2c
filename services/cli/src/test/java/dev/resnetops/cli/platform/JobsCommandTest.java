package dev.resnetops.cli.platform;

import static dev.resnetops.cli.platform.ApiFixtures.JOB_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resnetops.cli.UserErrorHandler;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.vision.config.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops jobs ...} against a fake platform API: the requests it sends and what it prints. */
class JobsCommandTest {

    private static final JsonNode SUBMITTED = ApiFixtures.config(TrainingConfig.builder()
            .model("resnet50-paper-small").epochs(3).learningRate(0.05).build());

    @TempDir Path home;
    private FakePlatformApi api;
    private CapturedCli cli;

    @BeforeEach
    void start() {
        api = FakePlatformApi.start();
        cli = new CapturedCli(home);
    }

    @AfterEach
    void stop() {
        cli.close();
        api.close();
    }

    @Test
    void submitSendsTheLocallyBuiltConfigWithTokenAndARandomIdempotencyKey() throws Exception {
        api.reply("POST", "/jobs", 201, ApiFixtures.job(JOB_ID, JobState.QUEUED, SUBMITTED, null));
        Path config = Files.writeString(home.resolve("run.yaml"), "epochs: 5\nlabelSmoothing: 0.2\n");

        int code = cli.run("jobs", "submit", "--dataset", "fashion", "--config", config.toString(), "--model",
                "resnet50-paper-small", "--epochs", "3", "--lr", "0.05", "--experiment", "paper-vs-baseline",
                "--api", api.url(), "--token", "s3cret");

        assertThat(code).as(cli.err()).isZero();
        FakePlatformApi.Recorded post = api.only("POST", "/jobs");
        assertThat(post.header("Authorization")).isEqualTo("Bearer s3cret");
        assertThat(UUID.fromString(post.header("Idempotency-Key"))).isNotNull();
        JsonNode body = post.json();
        assertThat(body.get("dataset").asText()).isEqualTo("fashion");
        assertThat(body.get("experiment").asText()).isEqualTo("paper-vs-baseline");
        JsonNode sent = body.get("config");
        assertThat(sent.get("model").asText()).isEqualTo("resnet50-paper-small");
        assertThat(sent.get("epochs").asInt()).isEqualTo(3); // the flag overrides the file
        assertThat(sent.get("learningRate").asDouble()).isEqualTo(0.05);
        assertThat(sent.get("labelSmoothing").asDouble()).isEqualTo(0.2); // from the file
        assertThat(sent.get("inputSize").asInt()).isEqualTo(32); // the preset's default, filled in locally
        assertThat(sent.has("batchSize")).isTrue();
        assertThat(cli.out()).contains("submitted job " + JOB_ID, "QUEUED", "mlops jobs show 9b1d2e3f");
    }

    @Test
    void eachSubmissionGetsItsOwnKeyUnlessOneIsGiven() {
        api.reply("POST", "/jobs", 201, ApiFixtures.job(JOB_ID, JobState.QUEUED, SUBMITTED, null));

        cli.run("jobs", "submit", "-d", "fashion", "--api", api.url(), "--token", "t");
        cli.run("jobs", "submit", "-d", "fashion", "--api", api.url(), "--token", "t");
        cli.run("jobs", "submit", "-d", "fashion", "--idempotency-key", "nightly-42", "--api", api.url(), "--token", "t");

        List<String> keys = api.requests().stream().map(r -> r.header("Idempotency-Key")).toList();
        assertThat(keys).hasSize(3).doesNotHaveDuplicates().endsWith("nightly-42");
    }

    @Test
    void aReplayedKeySaysNoNewJobWasCreated() {
        api.reply("POST", "/jobs", 200, ApiFixtures.job(JOB_ID, JobState.RUNNING, SUBMITTED, null));

        int code = cli.run("jobs", "submit", "-d", "fashion", "--idempotency-key", "k1", "--api", api.url(), "--token", "t");

        assertThat(code).isZero();
        assertThat(cli.out()).contains("no new job was created", JOB_ID.toString(), "RUNNING");
    }

    @Test
    void aTimedOutSubmissionIsRetriedWithTheSameKey() {
        api.replyAfter(Duration.ofMillis(2500), "POST", "/jobs", 201, ApiFixtures.job(JOB_ID, JobState.QUEUED, SUBMITTED, null))
                .reply("POST", "/jobs", 200, ApiFixtures.job(JOB_ID, JobState.QUEUED, SUBMITTED, null));

        int code = cli.run("jobs", "submit", "-d", "fashion", "--timeout", "1", "--api", api.url(), "--token", "t");

        assertThat(code).as(cli.err()).isZero();
        List<String> keys = api.requests().stream().map(r -> r.header("Idempotency-Key")).toList();
        assertThat(keys).hasSize(2).containsOnly(keys.get(0));
        assertThat(cli.err()).contains("no answer within 1 s; retrying (2/3) with the same Idempotency-Key");
    }

    @Test
    void badTrainingFlagsFailBeforeAnyRequest() {
        int code = cli.run("jobs", "submit", "-d", "fashion", "--model", "resnet51", "--epochs", "0",
                "--api", api.url(), "--token", "t");

        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(cli.err()).contains("invalid training configuration", "model: unknown preset 'resnet51'", "epochs:");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void listFiltersByStateAndPrintsProgressAndTop1() {
        api.reply("GET", "/jobs", 200, new Page<>(List.of(
                ApiFixtures.job(JOB_ID, JobState.RUNNING, SUBMITTED, ApiFixtures.epoch(2, 0.9124))), 0, 20, 1));

        int code = cli.run("jobs", "list", "--state", "running", "--api", api.url());

        assertThat(code).as(cli.err()).isZero();
        assertThat(api.only("GET", "/jobs").query()).isEqualTo("state=RUNNING&page=0&size=20");
        String[] lines = cli.out().split("\n");
        assertThat(lines[0]).containsPattern("id +model +state +dataset +epoch +top-1 +created +age");
        assertThat(lines[1]).containsPattern("9b1d2e3f +resnet50-paper-small +RUNNING +3f2a9c1e +2/3 +91.24% +20\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d +\\S+");
    }

    @Test
    void listRefusesAnUnknownState() {
        assertThat(cli.run("jobs", "list", "--state", "paused", "--api", api.url())).isEqualTo(2);
        assertThat(cli.err()).contains("'paused' is not one of queued, running, completed, failed, cancelled");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void showPrintsConfigChangesHistoryAndLatestMetrics() {
        api.reply("GET", "/jobs/" + JOB_ID, 200, ApiFixtures.job(JOB_ID, JobState.RUNNING, SUBMITTED, ApiFixtures.epoch(2, 0.9124)));

        int code = cli.run("jobs", "show", JOB_ID.toString(), "--api", api.url());

        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.out())
                .contains("state       RUNNING")
                .contains("differences from the defaults for resnet50-paper-small")
                .containsPattern("epochs +3 +10")
                .containsPattern("learningRate +0.05 +0.1")
                .doesNotContainPattern("batchSize +128")
                .containsPattern("QUEUED +20\\d\\d-.* +submitted")
                .containsPattern("RUNNING +20\\d\\d-.* +picked up by worker-1")
                .contains("epoch 2/3", "test top-1 91.24%, top-5 99.80%, loss 0.3125", "812.5 img/s");
    }

    @Test
    void cancelPostsToTheJobAndReportsTheRequest() {
        JobView running = ApiFixtures.job(JOB_ID, JobState.RUNNING, SUBMITTED, null);
        api.reply("POST", "/jobs/" + JOB_ID + "/cancel", 202, new JobView(running.id(), running.datasetId(),
                running.datasetVersionId(), running.model(), JobState.RUNNING, null, true, running.config(),
                running.experiment(), running.history(), null, running.createdAt(), running.updatedAt(), null));

        int code = cli.run("jobs", "cancel", JOB_ID.toString(), "--api", api.url(), "--token", "t");

        assertThat(code).as(cli.err()).isZero();
        FakePlatformApi.Recorded post = api.only("POST", "/jobs/" + JOB_ID + "/cancel");
        assertThat(post.header("Authorization")).isEqualTo("Bearer t");
        assertThat(cli.out()).contains("cancel requested for job " + JOB_ID);
    }

    @Test
    void jsonPrintsTheJobAsReturned() throws Exception {
        JobView job = ApiFixtures.job(JOB_ID, JobState.QUEUED, SUBMITTED, null);
        api.reply("GET", "/jobs/" + JOB_ID, 200, job);

        assertThat(cli.run("jobs", "show", JOB_ID.toString(), "--json", "--api", api.url())).isZero();
        assertThat(FakePlatformApi.JSON.readTree(cli.out()))
                .isEqualTo(FakePlatformApi.JSON.readTree(FakePlatformApi.JSON.writeValueAsString(job)));
        assertThat(cli.out()).contains("\n  \"state\" : \"QUEUED\"");
    }
}
