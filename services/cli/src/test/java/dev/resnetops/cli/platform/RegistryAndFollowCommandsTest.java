package dev.resnetops.cli.platform;

import static dev.resnetops.cli.platform.ApiFixtures.JOB_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.api.JobRun;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.ModelVersionView;
import dev.resnetops.contracts.messages.EpochCompleted;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.contracts.messages.TrainingProgress;
import dev.resnetops.vision.config.TrainingConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobs show --follow}, {@code runs compare}, {@code models registered|promote} against a fake API. */
class RegistryAndFollowCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode BASELINE = ApiFixtures.config(TrainingConfig.builder().model("resnet50-small")
            .epochs(2).labelSmoothing(0).build());
    private static final JsonNode PAPER = ApiFixtures.config(TrainingConfig.builder().model("resnet50-paper-small")
            .epochs(2).build());

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
    void followEndsWithTheResultAndExitsZeroOnlyForCompleted() {
        api.reply("GET", "/jobs/" + JOB_ID, 200, ApiFixtures.job(JOB_ID, JobState.COMPLETED, PAPER,
                ApiFixtures.epoch(2, 0.9124)));
        assertThat(cli.run("jobs", "show", JOB_ID.toString(), "--follow", "--api", api.url())).isZero();
        assertThat(cli.out()).contains("COMPLETED", "epoch 2: loss", "val top-1 91.24%");

        UUID failed = UUID.fromString("9b1d2e3f-0000-4000-8000-0000000000fa");
        api.reply("GET", "/jobs/" + failed, 200, ApiFixtures.job(failed, JobState.FAILED, PAPER, null));
        assertThat(cli.run("jobs", "show", failed.toString(), "--follow", "--api", api.url())).isEqualTo(1);
    }

    @Test
    void followDrawsFromTheLiveEventsAndReadsTheJobOnceAtTheEnd() {
        JobView running = ApiFixtures.job(JOB_ID, JobState.RUNNING, PAPER, null);
        JobView completed = ApiFixtures.job(JOB_ID, JobState.COMPLETED, PAPER, ApiFixtures.epoch(1, 0.8125));
        api.replyEvents("/jobs/" + JOB_ID + "/events", List.of(
                        Map.entry("job", running),
                        Map.entry("heartbeat", Map.of("at", "2026-12-04T03:00:00Z")),
                        Map.entry("TrainingProgress", TrainingProgress.of(JOB_ID, 1, 2, 4, 10, 1.25, 0.1, 9.5, 25)),
                        Map.entry("EpochCompleted", EpochCompleted.of(JOB_ID, 1, 0.4321, 0.1, 0.8125, 0.99, 0.5,
                                9.5, 12.0)),
                        Map.entry("TrainingFinished", TrainingFinished.completed(JOB_ID, "/data/jobs/c", 1, 0.8125,
                                0.99, "run-1")),
                        Map.entry("job", completed)))
                .reply("GET", "/jobs/" + JOB_ID, 200, completed);

        int code = cli.run("jobs", "show", JOB_ID.toString(), "--follow", "--interval", "60", "--api", api.url());

        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.out()).contains("RUNNING", "epoch 1/2 step 4/10", "9.5 img/s", "epoch 1: loss 0.4321",
                "val top-1 81.25%", "COMPLETED");
        assertThat(api.requests()).filteredOn(r -> r.path().equals("/jobs/" + JOB_ID)).hasSize(1);
    }

    @Test
    void theProgressBarShowsEpochStepSpeedAndEta() throws Exception {
        JsonNode progress = JSON.readTree("{\"epoch\":2,\"epochs\":4,\"step\":5,\"stepsPerEpoch\":10,"
                + "\"imagesPerSecond\":15.2,\"loss\":1.234,\"etaSeconds\":190}");
        JobView job = withRun(ApiFixtures.job(JOB_ID, JobState.RUNNING, PAPER, null),
                new JobRun("worker-1", "cpu", 1, progress, "1", "abc", null));
        assertThat(JobFollower.bar(job)).contains("38%", "epoch 2/4 step 5/10", "15.2 img/s", "loss 1.2340", "ETA 3m10s")
                .startsWith("[==========>");
    }

    @Test
    void compareShowsOnlyTheDifferingFieldsWithTopOneAndTheMlflowUrl() {
        UUID other = UUID.fromString("9b1d2e3f-0000-4000-8000-0000000000ff");
        api.reply("GET", "/jobs/" + JOB_ID, 200, withRun(ApiFixtures.job(JOB_ID, JobState.COMPLETED, BASELINE,
                ApiFixtures.epoch(2, 0.50)), new JobRun("w", "cpu", 1, null, "7", "run-a", null)));
        api.reply("GET", "/jobs/" + other, 200, withRun(ApiFixtures.job(other, JobState.COMPLETED, PAPER,
                ApiFixtures.epoch(2, 0.52)), new JobRun("w", "cpu", 1, null, "7", "run-b", null)));

        int code = cli.run("runs", "compare", JOB_ID.toString(), other.toString(), "--api", api.url(), "--mlflow",
                "http://127.0.0.1:5000");

        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.out()).contains("model", "resnet50-small", "resnet50-paper-small", "labelSmoothing", "50.00%",
                "52.00%").doesNotContain("batchSize");
        assertThat(cli.out()).contains("http://127.0.0.1:5000/#/compare-runs?runs=")
                .contains("run-a").contains("run-b");
    }

    @Test
    void promotePostsTheVersionWithTheToken() {
        api.reply("POST", "/models/resnetops-fashion/promote", 200, new ModelVersionView("resnetops-fashion", 3,
                JOB_ID, ApiFixtures.VERSION_ID, 0.91, 0.99, true, null, "/m.onnx", "ab", List.of("candidate", "champion"),
                ApiFixtures.CREATED));

        int code = cli.run("models", "promote", "resnetops-fashion", "--version", "3", "--api", api.url(), "--token", "t");

        assertThat(code).as(cli.err()).isZero();
        assertThat(cli.out()).contains("resnetops-fashion version 3 is now champion", "91.00%");
        FakePlatformApi.Recorded post = api.only("POST", "/models/resnetops-fashion/promote");
        assertThat(post.header("Authorization")).isEqualTo("Bearer t");
        assertThat(post.body()).contains("\"version\":3");
    }

    private static JobView withRun(JobView j, JobRun run) {
        return new JobView(j.id(), j.datasetId(), j.datasetVersionId(), j.model(), j.state(), j.stateReason(),
                j.cancelRequested(), j.config(), j.experiment(), j.history(), j.latestMetrics(), j.createdAt(),
                j.updatedAt(), run);
    }
}
