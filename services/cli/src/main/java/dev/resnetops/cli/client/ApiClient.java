package dev.resnetops.cli.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.api.ApiError;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.EpochMetricsView;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.ModelVersionView;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.api.PromoteRequest;
import dev.resnetops.contracts.api.RegisterDatasetRequest;
import dev.resnetops.contracts.api.StartWorkflowRequest;
import dev.resnetops.contracts.api.SubmitJobRequest;
import dev.resnetops.contracts.api.WeightsView;
import dev.resnetops.contracts.api.WorkflowRunState;
import dev.resnetops.contracts.api.WorkflowRunView;
import dev.resnetops.contracts.api.WorkflowSummary;
import dev.resnetops.contracts.messages.MessageCodec;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Typed calls to the platform's HTTP API (the orchestrator). Every failure is an {@link ApiException}
 * that says whether the server was unreachable, too slow, or refused the request and why.
 *
 * <p>Reads and creations (which carry an {@value #IDEMPOTENCY_KEY}, so the server returns the first
 * result to a retry) are retried after a timeout or a broken connection; cancelling is not, since a
 * retry of a cancel that did land would be refused as "already finished".
 */
public final class ApiClient {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int ATTEMPTS = 3;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(500);
    /** A weights file is up to a few hundred MB: minutes over a slow link, not a JSON call's seconds. */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(15);

    private final String base;
    private final String token;
    private final Duration timeout;
    private final Consumer<String> notices;
    private final HttpClient http;
    private final ObjectMapper json = MessageCodec.mapper();

    /**
     * @param baseUrl the API root, e.g. {@code http://127.0.0.1:8080}
     * @param token   sent as a bearer token when not null
     * @param timeout how long one attempt may wait for the answer
     * @param notices where retries are announced (a person waiting should know why)
     */
    public ApiClient(URI baseUrl, String token, Duration timeout, Consumer<String> notices) {
        String url = baseUrl.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
        this.timeout = Objects.requireNonNull(timeout);
        this.notices = Objects.requireNonNull(notices);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT.compareTo(timeout) < 0 ? CONNECT_TIMEOUT : timeout)
                .build();
    }

    public URI baseUrl() {
        return URI.create(base);
    }

    /** 202 when registered, 200 when this key was used before and the first registration is returned. */
    public ApiResponse<DatasetView> registerDataset(RegisterDatasetRequest request, String idempotencyKey) {
        HttpRequest post = post("/datasets", request).header(IDEMPOTENCY_KEY, idempotencyKey).build();
        return send(post, true, type(DatasetView.class));
    }

    public ApiResponse<DatasetView> dataset(UUID id) {
        return send(get("/datasets/" + id), true, type(DatasetView.class));
    }

    public ApiResponse<Page<DatasetView>> datasets(int page, int size) {
        return send(get("/datasets?page=" + page + "&size=" + size), true, pageOf(DatasetView.class));
    }

    /** 201 when the job was created, 200 when this key was used before and the first job is returned. */
    public ApiResponse<JobView> submitJob(SubmitJobRequest request, String idempotencyKey) {
        HttpRequest post = post("/jobs", request).header(IDEMPOTENCY_KEY, idempotencyKey).build();
        return send(post, true, type(JobView.class));
    }

    /** @param state only jobs in this state, or all when null */
    public ApiResponse<Page<JobView>> jobs(JobState state, int page, int size) {
        String filter = state == null ? "" : "state=" + state.name() + "&";
        return send(get("/jobs?" + filter + "page=" + page + "&size=" + size), true, pageOf(JobView.class));
    }

    public ApiResponse<JobView> job(UUID id) {
        return send(get("/jobs/" + id), true, type(JobView.class));
    }

    public ApiResponse<JobView> cancelJob(UUID id) {
        return send(post("/jobs/" + id + "/cancel", null).build(), false, type(JobView.class));
    }

    public ApiResponse<List<EpochMetricsView>> jobMetrics(UUID id) {
        return send(get("/jobs/" + id + "/metrics"), true,
                json.getTypeFactory().constructCollectionType(List.class, EpochMetricsView.class));
    }

    public ApiResponse<List<ModelVersionView>> modelVersions(String model) {
        return send(get(model == null ? "/models" : "/models/" + model), true,
                json.getTypeFactory().constructCollectionType(List.class, ModelVersionView.class));
    }

    /** Never retried: a promotion whose answer was lost may have happened; the caller shows the state. */
    public ApiResponse<ModelVersionView> promote(String model, Integer version) {
        return send(post("/models/" + model + "/promote", new PromoteRequest(version)).build(), false,
                type(ModelVersionView.class));
    }

    public ApiResponse<List<WorkflowSummary>> workflows() {
        return send(get("/workflows"), true,
                json.getTypeFactory().constructCollectionType(List.class, WorkflowSummary.class));
    }

    /** 201 when the run was created, 200 when this key was used before and the first run is returned. */
    public ApiResponse<WorkflowRunView> startWorkflow(String name, StartWorkflowRequest request, String idempotencyKey) {
        HttpRequest post = post("/workflows/" + name + "/runs", request).header(IDEMPOTENCY_KEY, idempotencyKey).build();
        return send(post, true, type(WorkflowRunView.class));
    }

    /** @param state only runs in this state, or all when null */
    public ApiResponse<Page<WorkflowRunView>> workflowRuns(WorkflowRunState state, int page, int size) {
        String filter = state == null ? "" : "state=" + state.name() + "&";
        return send(get("/workflows/runs?" + filter + "page=" + page + "&size=" + size), true,
                pageOf(WorkflowRunView.class));
    }

    public ApiResponse<WorkflowRunView> workflowRun(UUID id) {
        return send(get("/workflows/runs/" + id), true, type(WorkflowRunView.class));
    }

    public ApiResponse<WorkflowRunView> cancelWorkflowRun(UUID id) {
        return send(post("/workflows/runs/" + id + "/cancel", null).build(), false, type(WorkflowRunView.class));
    }

    /**
     * Uploads a weights file under a name ({@code PUT /weights/{name}}): 201 when stored, 200 when the same
     * bytes were there. Retried on a broken connection: a PUT of the same bytes is harmless to repeat. The
     * body streams from the file, with a timeout for its size rather than a JSON call's.
     */
    public ApiResponse<WeightsView> uploadWeights(String name, Path file) {
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("no such file: " + file, e);
        }
        HttpRequest put = request("/weights/" + URLEncoder.encode(name, StandardCharsets.UTF_8))
                .timeout(UPLOAD_TIMEOUT).header("Content-Type", "application/octet-stream").PUT(body).build();
        return send(put, true, type(WeightsView.class));
    }

    public ApiResponse<List<WeightsView>> weights() {
        return send(get("/weights"), true, json.getTypeFactory().constructCollectionType(List.class, WeightsView.class));
    }

    /** The job's live events until it ends ({@code GET /jobs/{id}/events}); returns when the stream ends. */
    public void jobEvents(UUID id, Consumer<ServerSentEvent> onEvent) {
        events("/jobs/" + id + "/events", onEvent);
    }

    /** The dataset's live events until its ingestion ends ({@code GET /datasets/{id}/events}). */
    public void datasetEvents(UUID id, Consumer<ServerSentEvent> onEvent) {
        events("/datasets/" + id + "/events", onEvent);
    }

    /**
     * Reads a server-sent event stream until the server ends it. Not retried: a caller that loses the
     * stream reads the current state instead (the stream's first event is a snapshot anyway). No answer
     * timeout either, since a live view is quiet between events; its heartbeats say it is alive.
     */
    private void events(String path, Consumer<ServerSentEvent> onEvent) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).GET()
                .header("Accept", "text/event-stream");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = builder.build();
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw ApiException.unreachable(request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + request.uri(), e);
        }
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() < 200 || response.statusCode() >= 300) {
                throw rejection(request.uri(), response.statusCode(), String.join("\n", lines.toList()));
            }
            ServerSentEventParser parser = new ServerSentEventParser(json);
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                Optional<ServerSentEvent> event;
                try {
                    event = parser.accept(it.next());
                } catch (IllegalArgumentException e) {
                    throw ApiException.unreadable(request.uri(), response.statusCode(), e.getMessage(), e);
                }
                event.ifPresent(onEvent);
            }
        } catch (UncheckedIOException e) {
            throw ApiException.unreachable(request.uri(), new IOException("the event stream broke: "
                    + e.getCause().getMessage(), e.getCause()));
        }
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest.Builder post(String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        if (body == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else {
            try {
                publisher = HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body), StandardCharsets.UTF_8);
            } catch (JacksonException e) {
                throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
            }
        }
        return request(path).header("Content-Type", "application/json").POST(publisher);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private <T> ApiResponse<T> send(HttpRequest request, boolean retryable, JavaType bodyType) {
        HttpResponse<String> response = exchange(request, retryable);
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            throw rejection(request.uri(), status, response.body());
        }
        if (response.body() == null || response.body().isBlank()) {
            throw ApiException.unreadable(request.uri(), status, request.method() + " " + request.uri() + " answered "
                    + status + " with an empty body where a JSON document was expected", null);
        }
        try {
            JsonNode tree = json.readTree(response.body());
            return new ApiResponse<>(status, json.treeToValue(tree, bodyType), tree);
        } catch (JacksonException e) {
            throw ApiException.unreadable(request.uri(), status, request.method() + " " + request.uri() + " answered "
                    + status + " with a body this client cannot read (" + e.getOriginalMessage()
                    + "); are the client and the platform the same version?", e);
        }
    }

    private HttpResponse<String> exchange(HttpRequest request, boolean retryable) {
        Duration delay = FIRST_RETRY_DELAY;
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (ConnectException | HttpConnectTimeoutException e) {
                throw ApiException.unreachable(request.uri(), e); // nothing was sent; retrying will not help
            } catch (IOException e) {
                boolean timedOut = e instanceof HttpTimeoutException;
                String what = timedOut ? "no answer within " + timeout.toSeconds() + " s"
                        : "the connection broke (" + e.getMessage() + ")";
                if (!retryable || attempt == ATTEMPTS) {
                    String outcome = retryable ? what + ", " + attempt + " attempts"
                            : what + "; the request may or may not have been applied";
                    throw timedOut ? ApiException.timedOut(request.uri(), outcome, e)
                            : ApiException.unreachable(request.uri(), new IOException(outcome, e));
                }
                notices.accept(request.method() + " " + request.uri().getPath() + ": " + what + "; retrying ("
                        + (attempt + 1) + "/" + ATTEMPTS + ")" + (request.headers().firstValue(IDEMPOTENCY_KEY)
                        .map(key -> " with the same " + IDEMPOTENCY_KEY).orElse("")));
                pause(delay);
                delay = delay.multipliedBy(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + request.uri(), e);
            }
        }
    }

    private ApiException rejection(URI uri, int status, String body) {
        try {
            ApiError error = json.readValue(body, ApiError.class);
            String message = firstNonBlank(error.message(), error.error(), reason(status));
            return ApiException.rejected(uri, status, message, error.problems());
        } catch (JacksonException | IllegalArgumentException e) {
            // Not an ApiError (a proxy's page, an empty body): show the start of whatever came back.
            String text = body == null ? "" : body.strip();
            String message = text.isEmpty() ? reason(status)
                    : text.substring(0, Math.min(200, text.length())).replaceAll("\\s+", " ");
            return ApiException.rejected(uri, status, message, List.of());
        }
    }

    private static String firstNonBlank(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return "";
    }

    /** The standard reason phrase, for bodies that give none. */
    public static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }

    private JavaType type(Class<?> type) {
        return json.constructType(type);
    }

    private JavaType pageOf(Class<?> item) {
        return json.getTypeFactory().constructParametricType(Page.class, item);
    }
}
