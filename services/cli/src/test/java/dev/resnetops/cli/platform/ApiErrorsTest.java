package dev.resnetops.cli.platform;

import static dev.resnetops.cli.platform.ApiFixtures.JOB_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.cli.UserErrorHandler;
import dev.resnetops.contracts.api.ApiError;
import dev.resnetops.contracts.api.Problem;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person sees when the platform API refuses a request or cannot be reached. */
class ApiErrorsTest {

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
    void badRequestPrintsEveryProblemAndExits2() {
        api.reply("POST", "/jobs", 400, new ApiError(400, "Bad Request", "invalid job request", List.of(
                new Problem("dataset", "no READY dataset named 'fashion'"),
                new Problem("config.batchSize", "must fit in GPU memory"))));

        int code = cli.run("jobs", "submit", "-d", "fashion", "--api", api.url(), "--token", "t");

        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(cli.err()).contains("HTTP 400 Bad Request", "invalid job request",
                "  - dataset: no READY dataset named 'fashion'", "  - config.batchSize: must fit in GPU memory");
    }

    @Test
    void unauthorizedSaysWhereTheTokenComesFrom() {
        api.reply("POST", "/datasets", 401, ApiError.of(401, "Unauthorized", "missing or invalid bearer token"));

        int code = cli.run("datasets", "add", "x", "/data/x", "--api", api.url(), "--token", "wrong");

        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(cli.err()).contains("no valid token", "HTTP 401", "--token", "MLOPS_API_TOKEN",
                "infra/api-token", "./mlops up");
    }

    @Test
    void forbiddenShowsTheRoleTheServerNamesAndHowToGetSuchAToken() {
        api.reply("POST", "/models/m/promote", 403, ApiError.of(403, "Forbidden",
                "this request needs the role 'admin', and the token of 'alice' has [submitter, viewer]"));

        int code = cli.run("models", "promote", "m", "--api", api.url(), "--token", "t");

        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(cli.err()).contains("HTTP 403", "needs the role 'admin'", "./mlops token create --role ROLE");
    }

    @Test
    void readsSendTheDefaultTokenFromTheStateFolder() throws Exception {
        java.nio.file.Files.createDirectories(home.resolve("infra"));
        java.nio.file.Files.writeString(home.resolve("infra/api-token"), "the-default-token\n");
        api.reply("GET", "/jobs", 200, "{\"items\":[],\"page\":0,\"size\":50,\"total\":0}");

        assertThat(cli.run("jobs", "list", "--api", api.url())).isZero();
        assertThat(api.only("GET", "/jobs").header("Authorization")).isEqualTo("Bearer the-default-token");
    }

    @Test
    void anInternalErrorPointsAtTheErrorIdInTheLog() {
        api.reply("GET", "/jobs", 500, ApiError.of(500, "Internal Server Error",
                "internal error, error id 0123456789abcdef: the request failed on the server"));

        assertThat(cli.run("jobs", "list", "--api", api.url())).isEqualTo(UserErrorHandler.PLATFORM_ERROR);
        assertThat(cli.err()).contains("error id 0123456789abcdef", "under the error id above");
    }

    @Test
    void notFoundSaysNotFound() {
        api.reply("GET", "/jobs/" + JOB_ID, 404, ApiError.of(404, "Not Found", "no job " + JOB_ID));

        assertThat(cli.run("jobs", "show", JOB_ID.toString(), "--api", api.url())).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(cli.err()).contains("not found (HTTP 404 Not Found): no job " + JOB_ID);
    }

    @Test
    void serverFailureExits1AndBlamesThePlatform() {
        api.reply("GET", "/jobs", 500, "<html>oops</html>");

        assertThat(cli.run("jobs", "list", "--api", api.url())).isEqualTo(UserErrorHandler.PLATFORM_ERROR);
        assertThat(cli.err()).contains("the platform API failed (HTTP 500 Internal Server Error): <html>oops</html>")
                .doesNotContain("at dev.resnetops"); // no stack trace
    }

    @Test
    void anEmptySuccessBodyIsReportedNotCrashedOn() {
        api.reply("GET", "/jobs/" + JOB_ID, 200, "");

        assertThat(cli.run("jobs", "show", JOB_ID.toString(), "--api", api.url())).isEqualTo(UserErrorHandler.PLATFORM_ERROR);
        assertThat(cli.err()).contains("answered 200 with an empty body").doesNotContain("internal error");
    }

    @Test
    void connectionRefusedSaysHowToStartThePlatform() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            closedPort = socket.getLocalPort();
        }

        int code = cli.run("datasets", "list", "--api", "http://127.0.0.1:" + closedPort);

        assertThat(code).isEqualTo(UserErrorHandler.PLATFORM_ERROR);
        assertThat(cli.err()).contains("cannot reach the platform API at http://127.0.0.1:" + closedPort
                + ": is it running? start it with ./mlops up").doesNotContain("at java.");
    }

    @Test
    void changingWithoutATokenSaysHowToGetOneAndSendsNothing() {
        int code = cli.run("jobs", "cancel", JOB_ID.toString(), "--api", api.url());

        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(cli.err()).contains("needs an API token", "--token", "MLOPS_API_TOKEN",
                home.resolve("infra/api-token").toString(), "./mlops up writes an admin token there",
                "./mlops token create --role submitter");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void aMalformedApiUrlIsNamed() {
        assertThat(cli.run("jobs", "list", "--api", "localhost:8080")).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(cli.err()).contains("--api is 'localhost:8080', which is not an http(s) URL");
    }
}
