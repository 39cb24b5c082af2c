package dev.resnetops.cli.platform;

import static dev.resnetops.cli.platform.ApiFixtures.CREATED;
import static dev.resnetops.cli.platform.ApiFixtures.DATASET_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.cli.UserErrorHandler;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.messages.DatasetReady;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops datasets ...} against a fake platform API: the requests it sends and what it prints. */
class DatasetsCommandTest {

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
    void addPostsNameAndSourceWithTheBearerToken() {
        api.reply("POST", "/datasets", 202, ApiFixtures.ingesting(DATASET_ID, "fashion"));

        int code = cli.run("datasets", "add", "fashion", "/data/fashion.tgz", "--api", api.url(), "--token", "s3cret");

        assertThat(code).as(cli.err()).isZero();
        FakePlatformApi.Recorded post = api.only("POST", "/datasets");
        assertThat(post.header("Authorization")).isEqualTo("Bearer s3cret");
        assertThat(post.header("Content-Type")).isEqualTo("application/json");
        assertThat(UUID.fromString(post.header("Idempotency-Key"))).isNotNull();
        assertThat(post.json().get("name").asText()).isEqualTo("fashion");
        assertThat(post.json().get("source").asText()).isEqualTo("/data/fashion.tgz");
        assertThat(cli.out()).contains("registered dataset fashion as " + DATASET_ID + " (INGESTING)",
                "mlops datasets show 3f2a9c1e");
    }

    @Test
    void addWithAReusedKeySaysNothingNewWasRegistered() {
        api.reply("POST", "/datasets", 200, ApiFixtures.ready(DATASET_ID, "fashion", CREATED));

        int code = cli.run("datasets", "add", "fashion", "/data/f", "--idempotency-key", "fashion-v1",
                "--api", api.url(), "--token", "t");

        assertThat(code).as(cli.err()).isZero();
        assertThat(api.only("POST", "/datasets").header("Idempotency-Key")).isEqualTo("fashion-v1");
        assertThat(cli.out()).contains("nothing new was registered", DATASET_ID.toString(), "READY")
                .doesNotContain("registered dataset fashion as");
    }

    @Test
    void addReadsTheTokenFileThatMlopsUpWrites() throws Exception {
        java.nio.file.Files.createDirectories(home.resolve("infra"));
        java.nio.file.Files.writeString(home.resolve("infra/api-token"), "from-file\n");
        java.nio.file.Files.writeString(home.resolve("infra/infra.env"), "export MLOPS_API_URL=" + api.url() + "\n");
        api.reply("POST", "/datasets", 202, ApiFixtures.ingesting(DATASET_ID, "fashion"));

        assertThat(cli.run("datasets", "add", "fashion", "/data/f")).as(cli.err()).isZero();
        assertThat(api.only("POST", "/datasets").header("Authorization")).isEqualTo("Bearer from-file");
    }

    @Test
    void addWaitPollsUntilReadyThenShowsTheDetails() {
        api.reply("POST", "/datasets", 202, ApiFixtures.ingesting(DATASET_ID, "fashion"))
                .reply("GET", "/datasets/" + DATASET_ID, 200, ApiFixtures.ingesting(DATASET_ID, "fashion"))
                .reply("GET", "/datasets/" + DATASET_ID, 200, ApiFixtures.ready(DATASET_ID, "fashion", CREATED));

        int code = cli.run("datasets", "add", "fashion", "/data/fashion", "--wait", "--poll-interval", "0.01",
                "--api", api.url(), "--token", "t");

        assertThat(code).as(cli.err()).isZero();
        assertThat(api.requests()).filteredOn(r -> r.method().equals("GET")
                && r.path().equals("/datasets/" + DATASET_ID)).hasSize(2);
        assertThat(cli.err()).contains("INGESTING").contains("READY after");
        assertThat(cli.out()).contains("status     READY", "sha256:c0ffee");
    }

    @Test
    void addWaitFollowsTheLiveEventsAndReadsTheDatasetOnceAtTheEnd() {
        api.reply("POST", "/datasets", 202, ApiFixtures.ingesting(DATASET_ID, "fashion"))
                .replyEvents("/datasets/" + DATASET_ID + "/events", List.of(
                        Map.entry("dataset", ApiFixtures.ingesting(DATASET_ID, "fashion")),
                        Map.entry("DatasetReady", DatasetReady.of(DATASET_ID, UUID.randomUUID(), "c0ffee",
                                "/data/shards/c0ffee", List.of("a"), Map.of("train", 1), 0)),
                        Map.entry("dataset", ApiFixtures.ready(DATASET_ID, "fashion", CREATED))))
                .reply("GET", "/datasets/" + DATASET_ID, 200, ApiFixtures.ready(DATASET_ID, "fashion", CREATED));

        int code = cli.run("datasets", "add", "fashion", "/data/fashion", "--wait", "--poll-interval", "60",
                "--api", api.url(), "--token", "t");

        assertThat(code).as(cli.err()).isZero();
        assertThat(api.requests()).filteredOn(r -> r.path().equals("/datasets/" + DATASET_ID)).hasSize(1);
        assertThat(cli.err()).contains("INGESTING").contains("READY after");
        assertThat(cli.out()).contains("status     READY");
    }

    @Test
    void addWaitEndingInFailureShowsTheErrorAndExits2() {
        api.reply("POST", "/datasets", 202, ApiFixtures.ingesting(DATASET_ID, "empty"))
                .reply("GET", "/datasets/" + DATASET_ID, 200, ApiFixtures.failed(DATASET_ID, "empty"));

        int code = cli.run("datasets", "add", "empty", "/data/empty", "--wait", "--poll-interval", "0.01",
                "--api", api.url(), "--token", "t");

        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(cli.out()).contains("FAILED", "error      no IDX, ImageFolder or CIFAR files in /data/empty");
    }

    @Test
    void listAsksForThePageAndPrintsOneRowPerDataset() {
        api.reply("GET", "/datasets", 200, new Page<>(List.of(ApiFixtures.ready(DATASET_ID, "fashion", CREATED),
                ApiFixtures.ingesting(UUID.fromString("aaaabbbb-0000-4000-8000-000000000009"), "cifar")), 1, 2, 7));

        int code = cli.run("datasets", "list", "--page", "1", "--size", "2", "--api", api.url());

        assertThat(code).as(cli.err()).isZero();
        assertThat(api.only("GET", "/datasets").query()).isEqualTo("page=1&size=2");
        String[] lines = cli.out().split("\n");
        assertThat(lines[0]).containsPattern("id +name +status +train +test +classes +hash +created");
        assertThat(lines[1]).containsPattern("3f2a9c1e +fashion +READY +60,000 +10,000 +2 +c0ffee123456 +20\\d\\d-");
        assertThat(lines[2]).containsPattern("aaaabbbb +cifar +INGESTING +- +- +- +- +20\\d\\d-");
        assertThat(cli.out()).contains("page 1 of 4 (7 datasets); next: --page 2");
    }

    @Test
    void showByNamePicksTheNewestRegistrationAndPrintsCountsPerClass() {
        UUID older = UUID.fromString("11110000-0000-4000-8000-000000000001");
        api.reply("GET", "/datasets", 200, new Page<>(List.of(
                        ApiFixtures.ready(older, "fashion", CREATED.minusSeconds(3600)),
                        ApiFixtures.ready(DATASET_ID, "fashion", CREATED),
                        ApiFixtures.ready(UUID.randomUUID(), "cifar", CREATED.plusSeconds(60))), 0, 100, 3))
                .reply("GET", "/datasets/" + DATASET_ID, 200, ApiFixtures.ready(DATASET_ID, "fashion", CREATED));

        int code = cli.run("datasets", "show", "fashion", "--api", api.url());

        assertThat(code).as(cli.err()).isZero();
        api.only("GET", "/datasets/" + DATASET_ID);
        assertThat(cli.out())
                .containsPattern("class +train +test")
                .containsPattern("sneaker +30,000 +5,000")
                .containsPattern("boot +30,000 +5,000")
                .containsPattern("total +60,000 +10,000")
                .contains("mean [0.2860]  std [0.3530]", "/var/mlops/shards/c0ffee", "1 x 28 x 28")
                .contains("1 file(s) quarantined")
                .containsPattern("train/boot/broken.png +cannot decode: truncated PNG");
    }

    @Test
    void showByIdPrefixUsesTheListing() {
        api.reply("GET", "/datasets", 200, new Page<>(List.of(ApiFixtures.ready(DATASET_ID, "fashion", CREATED)), 0, 100, 1))
                .reply("GET", "/datasets/" + DATASET_ID, 200, ApiFixtures.ready(DATASET_ID, "fashion", CREATED));

        assertThat(cli.run("datasets", "show", "3f2a9c1e", "--api", api.url())).as(cli.err()).isZero();
        assertThat(cli.out()).contains(DATASET_ID.toString());
    }

    @Test
    void showOfAnUnknownNameSaysSoAndExits2() {
        api.reply("GET", "/datasets", 200, new Page<DatasetView>(List.of(), 0, 100, 0));

        assertThat(cli.run("datasets", "show", "nope", "--api", api.url())).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(cli.err()).contains("no dataset is named 'nope'", "mlops datasets list");
    }

    @Test
    void jsonPrintsTheResponseBodyPretty() throws Exception {
        api.reply("GET", "/datasets/" + DATASET_ID, 200, ApiFixtures.ready(DATASET_ID, "fashion", CREATED));

        assertThat(cli.run("datasets", "show", DATASET_ID.toString(), "--json", "--api", api.url())).isZero();

        DatasetView printed = FakePlatformApi.JSON.readValue(cli.out(), DatasetView.class);
        assertThat(printed).isEqualTo(ApiFixtures.ready(DATASET_ID, "fashion", CREATED));
        assertThat(cli.out()).contains("\n  \"id\" : \"" + DATASET_ID + "\"");
    }
}
