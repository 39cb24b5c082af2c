package dev.resnetops.cli.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.api.ApiError;
import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.contracts.stream.PredictionCodec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Calls to the inference service: {@code POST /classify} and its readiness. Failures are
 * {@link ApiException}s like the platform API's, so the status and the server's reason reach the user.
 */
public final class InferenceClient {

    /** A classification and how long the request took from here, model time included. */
    public record Classified(Prediction prediction, double roundTripMillis, JsonNode json) {}

    /**
     * What {@code /q/health/ready}'s model check says: whether a model is loaded, and which version with which
     * stream state.
     *
     * @param version the served version, or 0 when none is loaded
     */
    public record Readiness(boolean modelLoaded, int version, String stream, String detail) {}

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The inference service's readiness check that names the served model. */
    private static final String MODEL_CHECK = "model";

    private final String base;
    private final Duration timeout;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper json = MessageCodec.mapper();

    public InferenceClient(URI baseUrl, Duration timeout) {
        this(baseUrl, null, timeout);
    }

    /** @param token sent as a bearer token on {@code POST /classify} when not null (the service checks its role) */
    public InferenceClient(URI baseUrl, String token, Duration timeout) {
        String url = baseUrl.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.timeout = timeout;
        this.token = token;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT.compareTo(timeout) < 0 ? CONNECT_TIMEOUT : timeout).build();
    }

    public URI baseUrl() {
        return URI.create(base);
    }

    /** @param top how many classes to return, or null for the service's default */
    public Classified classify(byte[] image, String contentType, Integer top) {
        URI uri = URI.create(base + "/classify" + (top == null ? "" : "?top=" + top));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(image));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = builder.build();
        long start = System.nanoTime();
        HttpResponse<String> response = exchange(request);
        double millis = (System.nanoTime() - start) / 1e6;
        if (response.statusCode() != 200) {
            throw rejection(uri, response);
        }
        try {
            Prediction prediction = PredictionCodec.fromJson(response.body().getBytes(StandardCharsets.UTF_8));
            return new Classified(prediction, millis, json.readTree(response.body()));
        } catch (MalformedMessageException | JacksonException e) {
            throw ApiException.unreadable(uri, 200, "the inference service answered with something that is not a "
                    + "prediction (" + e.getMessage() + "); are the client and the service the same version?", e);
        }
    }

    /** The readiness check; a 503 (no model yet) is an answer here, not an error. */
    public Readiness readiness() {
        URI uri = URI.create(base + "/q/health/ready");
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(uri).timeout(timeout).GET().build());
        try {
            JsonNode body = json.readTree(response.body());
            // By name: the service reports its background loops in a second check, in no fixed order.
            JsonNode check = StreamSupport.stream(body.path("checks").spliterator(), false)
                    .filter(c -> MODEL_CHECK.equals(c.path("name").asText())).findFirst()
                    .orElse(json.createObjectNode());
            JsonNode data = check.path("data");
            String detail = data.has("waiting") ? data.path("waiting").asText()
                    : data.has("streamError") ? data.path("streamError").asText() : "";
            // The model check's own status: the service as a whole is also DOWN while its stream recovers,
            // with the model loaded.
            return new Readiness("UP".equals(check.path("status").asText()), data.path("version").asInt(0),
                    data.path("stream").asText(""), detail);
        } catch (JacksonException e) {
            throw ApiException.unreadable(uri, response.statusCode(), "the readiness check answered "
                    + response.statusCode() + " with a body that is not JSON", e);
        }
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw ApiException.unreachable(request.uri(), e);
        } catch (HttpTimeoutException e) {
            throw ApiException.timedOut(request.uri(), "no answer within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw ApiException.unreachable(request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + request.uri(), e);
        }
    }

    private ApiException rejection(URI uri, HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body().strip();
        try {
            ApiError error = json.readValue(body, ApiError.class);
            String message = error.message() != null && !error.message().isBlank() ? error.message()
                    : ApiClient.reason(status);
            return ApiException.rejected(uri, status, message, error.problems());
        } catch (JacksonException | IllegalArgumentException e) {
            String message = body.isEmpty() ? ApiClient.reason(status)
                    : body.substring(0, Math.min(200, body.length())).replaceAll("\\s+", " ");
            return ApiException.rejected(uri, status, message, List.of());
        }
    }
}
