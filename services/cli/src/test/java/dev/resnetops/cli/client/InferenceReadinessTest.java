package dev.resnetops.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the CLI reads from the inference service's /q/health/ready, as the service writes it. */
class InferenceReadinessTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aLoadedModelWhileTheStreamRecoversIsNotReportedAsNoModel() throws IOException {
        // The service is DOWN as a whole (its image-stream check), but the model check is UP with version 3.
        InferenceClient.Readiness readiness = readinessAnswering(503, """
                {"status":"DOWN","checks":[
                  {"name":"image-stream","status":"DOWN","data":{"state":"RECOVERING","error":"broker gone"}},
                  {"name":"model","status":"UP","data":{"stream":"RECOVERING","version":3,"streamError":"broker gone"}}]}
                """);

        assertThat(readiness.modelLoaded()).isTrue();
        assertThat(readiness.version()).isEqualTo(3);
        assertThat(readiness.stream()).isEqualTo("RECOVERING");
        assertThat(readiness.detail()).isEqualTo("broker gone");
    }

    @Test
    void noModelYetIsReportedWithTheReasonTheServiceGives() throws IOException {
        InferenceClient.Readiness readiness = readinessAnswering(503, """
                {"status":"DOWN","checks":[
                  {"name":"model","status":"DOWN","data":{"stream":"WAITING_FOR_MODEL","waiting":"no champion yet"}}]}
                """);

        assertThat(readiness.modelLoaded()).isFalse();
        assertThat(readiness.version()).isZero();
        assertThat(readiness.detail()).isEqualTo("no champion yet");
    }

    private InferenceClient.Readiness readinessAnswering(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/q/health/ready", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new InferenceClient(base, Duration.ofSeconds(5)).readiness();
    }
}
