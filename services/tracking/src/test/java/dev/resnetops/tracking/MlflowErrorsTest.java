package dev.resnetops.tracking;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class MlflowErrorsTest {

    @Test
    void unknownRunIsResourceDoesNotExistNamingServerAndOperation() {
        MlflowClient mlflow = TestMlflow.client();
        String runId = "0123456789abcdef0123456789abcdef";

        MlflowException e = catchThrowableOfType(MlflowException.class, () -> mlflow.getRun(runId));

        assertThat(e).isNotInstanceOf(MlflowUnavailableException.class);
        assertThat(e.errorCode()).isEqualTo(MlflowException.RESOURCE_DOES_NOT_EXIST);
        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.isNotFound()).isTrue();
        assertThat(e.getMessage()).startsWith("MLflow at " + TestMlflow.serverUri().toString().replaceAll("/$", "") + ": get-run " + runId + " failed: ");
    }

    @Test
    void logBatchForUnknownRunFailsNamingTheRun() {
        MlflowClient mlflow = TestMlflow.client();
        assertThatThrownBy(() -> mlflow.logBatch("fedcba9876543210fedcba9876543210", List.of(Metric.of("loss", 1.0, 0)), List.of(), List.of()))
                .isInstanceOf(MlflowException.class)
                .hasMessageContaining("log-batch for run fedcba9876543210fedcba9876543210 failed");
    }

    @Test
    void serverWithNothingListeningIsUnavailableNamingTheUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        MlflowClient mlflow = MlflowClient.builder().setServer(URI.create(url)).optConnectTimeout(Duration.ofSeconds(2)).build();

        assertThatThrownBy(() -> mlflow.createRun("0", "nowhere", Instant.now(), Map.of()))
                .isInstanceOf(MlflowUnavailableException.class)
                .hasMessageStartingWith("MLflow at " + url + ": create-run 'nowhere' in experiment 0 failed: server unreachable")
                .satisfies(e -> assertThat(((MlflowException) e).httpStatus()).isZero());
    }
}
