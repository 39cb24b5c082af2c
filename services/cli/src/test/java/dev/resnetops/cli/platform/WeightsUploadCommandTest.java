package dev.resnetops.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.contracts.api.ApiError;
import dev.resnetops.contracts.api.Problem;
import dev.resnetops.contracts.api.WeightsView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops weights upload|list} against a fake platform API: the request it sends and what it prints. */
class WeightsUploadCommandTest {

    private static final WeightsView UPLOADED = new WeightsView("resnet50-imagenet", "weights:resnet50-imagenet",
            "ab".repeat(32), "pytorch-zip", 102_542_935, 320, 25_557_032,
            List.of("1 bf16 tensor, converted to float32 when a job loads them"), Instant.parse("2026-12-08T03:00:00Z"));

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
    void putsTheFileUnderItsNameAndSaysHowAJobStartsFromIt() throws Exception {
        Path file = Files.writeString(home.resolve("resnet50.pth"), "pretend weights");
        api.reply("PUT", "/weights/resnet50-imagenet", 201, UPLOADED);

        int code = cli.run("weights", "upload", "resnet50-imagenet", file.toString(), "--api", api.url(), "--token", "t");

        assertThat(code).as(cli.err()).isZero();
        FakePlatformApi.Recorded put = api.only("PUT", "/weights/resnet50-imagenet");
        assertThat(put.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(put.body()).isEqualTo("pretend weights");
        assertThat(cli.out()).contains("resnet50-imagenet: uploaded", "pytorch-zip, 320 tensors", "ab".repeat(32),
                "note: 1 bf16 tensor", "--init weights:resnet50-imagenet");
    }

    @Test
    void aFileThePlatformRefusesEndsWithItsReason() throws Exception {
        Path file = Files.writeString(home.resolve("evil.pth"), "pickle");
        api.reply("PUT", "/weights/evil", 400, new ApiError(400, "Bad Request", "invalid request (1 problem): body: not a"
                + " usable weights file: the pickle calls posix.system", List.of(new Problem("body", "not a usable"
                + " weights file: the pickle calls posix.system"))));

        int code = cli.run("weights", "upload", "evil", file.toString(), "--api", api.url(), "--token", "t");

        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("posix.system");
    }

    @Test
    void listShowsWhatJobsCanName() {
        api.reply("GET", "/weights", 200, List.of(UPLOADED));

        assertThat(cli.run("weights", "list", "--api", api.url())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("weights:resnet50-imagenet", "pytorch-zip", "abababababab");
    }
}
