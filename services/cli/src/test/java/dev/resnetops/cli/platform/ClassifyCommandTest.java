package dev.resnetops.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.cli.UserErrorHandler;
import dev.resnetops.contracts.api.ApiError;
import dev.resnetops.contracts.stream.PredictedLabel;
import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.contracts.stream.ServedModel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops classify} against a stand-in inference service: the answer, and every way it can fail. */
class ClassifyCommandTest {

    @TempDir Path home;
    private FakePlatformApi service;
    private CapturedCli cli;
    private Path image;

    @BeforeEach
    void start() throws IOException {
        service = FakePlatformApi.start();
        cli = new CapturedCli(home);
        image = Files.write(home.resolve("shoe.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    }

    @AfterEach
    void stop() {
        cli.close();
        service.close();
    }

    @Test
    void printsTheClassesTheModelAndTheLatency() {
        service.reply("POST", "/classify", 200, new Prediction(1, "r-1",
                new ServedModel("resnetops-fashion-mnist", "champion", 3, "0123456789abcdef0123", "resnet50-paper-small"),
                List.of(new PredictedLabel(9, "Ankle boot", 0.9712), new PredictedLabel(7, "Sneaker", 0.0201)),
                4.25, 1, 0, Instant.EPOCH));

        int code = cli.run("classify", image.toString(), "--top", "2", "--url", service.url());

        assertThat(code).isZero();
        assertThat(cli.out()).contains("shoe.png: Ankle boot (97.12%)", "Sneaker", "2.01%",
                "resnetops-fashion-mnist version 3 (alias champion), preset resnet50-paper-small, onnx sha256 0123456789ab",
                "4.3 ms in the model");
        FakePlatformApi.Recorded request = service.only("POST", "/classify");
        assertThat(request.query()).isEqualTo("top=2");
        assertThat(request.header("Content-Type")).isEqualTo("image/png");
    }

    @Test
    void sendsTheDefaultTokenFromTheStateFolder() throws IOException {
        Files.createDirectories(home.resolve("infra"));
        Files.writeString(home.resolve("infra/api-token"), "the-default-token\n");
        service.reply("POST", "/classify", 200, new Prediction(1, "r-1",
                new ServedModel("m", "champion", 3, "0123456789abcdef0123", "resnet50"),
                List.of(new PredictedLabel(9, "Ankle boot", 0.97)), 4.25, 1, 0, Instant.EPOCH));

        assertThat(cli.run("classify", image.toString(), "--url", service.url())).isZero();
        assertThat(service.only("POST", "/classify").header("Authorization")).isEqualTo("Bearer the-default-token");
    }

    @Test
    void saysToWaitWhenRateLimited() {
        service.reply("POST", "/classify", 429, ApiError.of(429, "Too Many Requests", "at most 20 per second; retry in 1 s"));

        assertThat(cli.run("classify", image.toString(), "--url", service.url(), "--token", "t"))
                .isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(cli.err()).contains("too many requests", "retry in 1 s");
    }

    @Test
    void showsTheServersReasonForARefusedImageAndExits2() {
        service.reply("POST", "/classify", 400, ApiError.of(400, "Bad Request",
                "cannot classify the image: not a JPEG or PNG image (unrecognised file signature)"));

        int code = cli.run("classify", image.toString(), "--url", service.url());

        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(cli.err()).contains("refused", "shoe.png", "not a JPEG or PNG image (unrecognised file signature)");
    }

    @Test
    void saysThereIsNoChampionYetOn503() {
        service.reply("POST", "/classify", 503, ApiError.of(503, "Service Unavailable", "no model loaded"));

        int code = cli.run("classify", image.toString(), "--url", service.url());

        assertThat(code).isEqualTo(UserErrorHandler.PLATFORM_ERROR);
        assertThat(cli.err()).contains("no champion yet: train, evaluate and promote one", "./mlops models promote");
    }

    @Test
    void saysHowToStartTheServiceWhenItIsDown() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            port = socket.getLocalPort();
        }
        try (CapturedCli withEnv = new CapturedCli(Map.of("MLOPS_HOME", home.toString(),
                "MLOPS_INFERENCE_URL", "http://127.0.0.1:" + port))) {
            int code = withEnv.run("classify", image.toString());
            assertThat(code).isEqualTo(UserErrorHandler.PLATFORM_ERROR);
            assertThat(withEnv.err()).contains("cannot reach the inference service at http://127.0.0.1:" + port,
                    "./mlops up");
        }
    }

    @Test
    void aMissingFileIsAUserError() {
        int code = cli.run("classify", home.resolve("nope.png").toString(), "--url", service.url());

        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(cli.err()).contains("nope.png: no such file");
        assertThat(service.requests()).isEmpty();
    }

    @Test
    void readsTheServiceAddressFromInfraEnv() throws IOException {
        Files.createDirectories(home.resolve("infra"));
        Files.writeString(home.resolve("infra/infra.env"), "MLOPS_INFERENCE_URL=" + service.url() + "\n");
        service.reply("POST", "/classify", 503, ApiError.of(503, "Service Unavailable", "no model loaded"));

        cli.run("classify", image.toString());

        assertThat(service.requests()).hasSize(1);
    }
}
