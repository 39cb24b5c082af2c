package dev.resnetops.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Sends requests to one MLflow server and turns every failure into an {@link MlflowException} that names
 * the server and the operation. JSON in and out; files are streamed, never held in memory.
 */
final class MlflowHttp {

    /** Python's json module writes NaN and Infinity bare; metrics may hold them. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final String server;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Duration transferTimeout;
    private final String authorization;
    /** Who the credentials are, for refusals; null without credentials. Never the secret itself. */
    private final String account;

    MlflowHttp(URI serverUri, HttpClient http, Duration requestTimeout, Duration transferTimeout, String authorization,
               String account) {
        String text = serverUri.toString();
        this.server = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.transferTimeout = transferTimeout;
        this.authorization = authorization;
        this.account = account;
    }

    String server() {
        return server;
    }

    ObjectNode object() {
        return JSON.createObjectNode();
    }

    JsonNode get(String apiPath, Map<String, String> query, String operation) {
        return json(request(apiPath + queryString(query), requestTimeout).GET(), operation);
    }

    JsonNode post(String apiPath, ObjectNode body, String operation) {
        return json(request(apiPath, requestTimeout).POST(jsonBody(body)), operation);
    }

    /** MLflow's DELETE endpoints read their arguments from a JSON body, like POST. */
    JsonNode delete(String apiPath, ObjectNode body, String operation) {
        return json(request(apiPath, requestTimeout).method("DELETE", jsonBody(body)), operation);
    }

    /** PUTs a file; the body is read from disk while it is sent. */
    void putFile(String apiPath, Path file, String contentType, String operation) {
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("cannot upload " + file + ": no such readable file", e);
        }
        HttpRequest.Builder request = request(apiPath, transferTimeout)
                .header("Content-Type", contentType)
                .PUT(body);
        HttpResponse<String> response = send(request.build(), HttpResponse.BodyHandlers.ofString(), operation);
        if (response.statusCode() / 100 != 2) {
            throw failure(response.statusCode(), response.body(), operation);
        }
    }

    /**
     * GETs a file into {@code target}: the body goes to a temporary file next to it that replaces the
     * target only when complete, so a broken download never leaves a half file under the real name.
     */
    void getFile(String apiPath, Path target, String operation) {
        Path folder = target.toAbsolutePath().getParent();
        Path partial;
        try {
            Files.createDirectories(folder);
            partial = Files.createTempFile(folder, target.getFileName().toString(), ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the download of " + operation + " to " + target, e);
        }
        try {
            HttpResponse<String> response = send(request(apiPath, transferTimeout).GET().build(),
                    info -> info.statusCode() == 200
                            ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofFile(partial), p -> "")
                            : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                    operation);
            if (response.statusCode() != 200) {
                throw failure(response.statusCode(), response.body(), operation);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the download of " + operation + " to " + target, e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // Only the leftover of a failed download; the failure itself is already being thrown.
            }
        }
    }

    private HttpRequest.Builder request(String pathAndQuery, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server + pathAndQuery)).timeout(timeout);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static HttpRequest.BodyPublisher jsonBody(ObjectNode body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    private JsonNode json(HttpRequest.Builder request, String operation) {
        // MLflow 3 refuses state-changing requests that are not declared as JSON.
        HttpResponse<String> response = send(request.header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), operation);
        if (response.statusCode() / 100 != 2) {
            throw failure(response.statusCode(), response.body(), operation);
        }
        String body = response.body();
        if (body == null || body.isBlank()) {
            return object();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MlflowException(server, operation, response.statusCode(), "",
                    "the answer is not JSON: " + abbreviate(body), e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String operation) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            // Connection refused, reset, timeouts: the request may be retried as it is.
            throw new MlflowUnavailableException(server, operation, 0, "",
                    "server unreachable (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlflowUnavailableException(server, operation, 0, "", "interrupted while waiting for the server", e);
        }
    }

    private MlflowException failure(int status, String body, String operation) {
        String errorCode = "";
        String message = abbreviate(body == null ? "" : body.strip());
        try {
            JsonNode error = JSON.readTree(body == null ? "" : body);
            if (error != null && error.hasNonNull("error_code")) {
                errorCode = error.get("error_code").asText();
                message = error.path("message").asText("");
            }
        } catch (JsonProcessingException notJson) {
            // Proxies and the host check answer in plain text or HTML; the abbreviated body is the message.
        }
        if (status == 429 || status == 502 || status == 503 || status == 504) {
            return new MlflowUnavailableException(server, operation, status, errorCode, message, null);
        }
        if (status == 401 || status == 403) {
            return new MlflowAccessDeniedException(server, operation, status, errorCode, message, account);
        }
        return new MlflowException(server, operation, status, errorCode, message, null);
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringJoiner joiner = new StringJoiner("&", "?", "");
        query.forEach((key, value) -> joiner.add(ArtifactPaths.encodeSegment(key) + "=" + ArtifactPaths.encodeSegment(value)));
        return joiner.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
