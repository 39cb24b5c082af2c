package dev.resnetops.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A client of one MLflow tracking server over its REST API: experiments, runs, batched logging, artifacts
 * through the server's artifact proxy, and the model registry. Thread-safe; no Python needed.
 *
 * <p>Every failure is an {@link MlflowException} naming the server and the operation;
 * {@link MlflowUnavailableException} means "try again later" (nothing was wrong with the request);
 * {@link MlflowAccessDeniedException} means the server refused the client's account (401/403) and names it.
 * Bad arguments (a param value over MLflow's limit, a path with '..') are refused with an
 * {@link IllegalArgumentException} before anything is sent.
 *
 * <pre>{@code
 * MlflowClient mlflow = MlflowClient.builder().setServer(URI.create("http://127.0.0.1:5000"))
 *         .optAccount(new MlflowAccount("trainer", password)).build();
 * String experimentId = mlflow.experimentIdFor("resnet50-ablation");
 * RunInfo run = mlflow.createRun(experimentId, "paper", Instant.now(), Map.of());
 * mlflow.logBatch(run.runId(), metrics, params, List.of());
 * mlflow.finishRun(run.runId(), RunStatus.FINISHED, Instant.now());
 * }</pre>
 */
public final class MlflowClient {

    private static final String API = "/api/2.0/mlflow/";
    /** Page sizes: MLflow allows 50,000 runs per search page; history pages are unbounded but paged for memory. */
    private static final int SEARCH_RUNS_PAGE_SIZE = 1000;
    private static final int HISTORY_PAGE_SIZE = 5000;

    private final MlflowHttp http;
    private final ArtifactProxy artifacts;
    private final ModelRegistry registry;
    private final MlflowUiLinks links;

    private MlflowClient(Builder builder) {
        HttpClient httpClient = builder.httpClient != null ? builder.httpClient : HttpClient.newBuilder()
                // uvicorn speaks HTTP/1.1; the JDK's default h2c upgrade attempt buys nothing here.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.connectTimeout)
                .build();
        this.http = new MlflowHttp(builder.server, httpClient, builder.requestTimeout, builder.transferTimeout,
                builder.authorization, builder.account);
        this.artifacts = new ArtifactProxy(http);
        this.registry = new ModelRegistry(http, builder.registrationTimeout);
        this.links = new MlflowUiLinks(builder.server);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server's base URI, as it appears in error messages. */
    public String server() {
        return http.server();
    }

    // ---- experiments -------------------------------------------------------------------------------

    /**
     * The experiment tag that holds MLflow's experiment kind, and the kind of every experiment this platform
     * makes: model training. The values are the UI's {@code ExperimentKind} enum (MLflow 3.17.2's bundle:
     * {@code genai_development}, {@code custom_model_development}, ...), and the UI's kind selector writes
     * this tag. MLflow 3.17.2's UI takes its GenAI / model-training view from the link instead
     * ({@code MlflowUiLinks}, measured), so the platform sets both.
     */
    public static final String EXPERIMENT_KIND_TAG = "mlflow.experimentKind";
    public static final String MODEL_TRAINING_KIND = "custom_model_development";

    /** The id of the experiment of that name, created if there is none. */
    public String experimentIdFor(String name) {
        return experimentIdFor(name, Map.of());
    }

    /**
     * The id of the experiment of that name, created (with these tags) if there is none. Two processes
     * may both find none and both create it: the loser gets RESOURCE_ALREADY_EXISTS and reads the
     * winner's id. Tags are only set on creation, except the kind ({@value #EXPERIMENT_KIND_TAG}): a new
     * experiment gets {@value #MODEL_TRAINING_KIND} unless {@code tags} name another kind, and an
     * existing one without a kind (made before the platform set it, or by hand) gets it once. A kind
     * someone chose in the UI is left alone.
     */
    public String experimentIdFor(String name, Map<String, String> tags) {
        Optional<JsonNode> existing = findExperiment(name);
        if (existing.isPresent()) {
            return withKind(existing.get());
        }
        Map<String, String> withKind = new LinkedHashMap<>(tags);
        withKind.putIfAbsent(EXPERIMENT_KIND_TAG, MODEL_TRAINING_KIND);
        ObjectNode request = http.object().put("name", name);
        MlflowJson.putKeyValues(request, "tags", withKind);
        try {
            return http.post(API + "experiments/create", request, "create-experiment '" + name + "'")
                    .path("experiment_id").asText();
        } catch (MlflowException e) {
            if (!MlflowException.RESOURCE_ALREADY_EXISTS.equals(e.errorCode())) {
                throw e;
            }
            return findExperiment(name).map(this::withKind).orElseThrow(() -> e);
        }
    }

    /** The experiment's tags, by key. */
    public Map<String, String> experimentTags(String experimentId) {
        JsonNode answer = http.get(API + "experiments/get", Map.of("experiment_id", experimentId),
                "get-experiment " + experimentId);
        return MlflowJson.keyValues(answer.path("experiment").path("tags"));
    }

    /** Sets (or replaces) one tag of the experiment. */
    public void setExperimentTag(String experimentId, String key, String value) {
        http.post(API + "experiments/set-experiment-tag", http.object().put("experiment_id", experimentId)
                .put("key", key).put("value", value), "set-experiment-tag '" + key + "' on experiment " + experimentId);
    }

    /** The experiment's id, after giving it the model-training kind if it has no kind. */
    private String withKind(JsonNode experiment) {
        String id = experiment.path("experiment_id").asText();
        if (!MlflowJson.keyValues(experiment.path("tags")).containsKey(EXPERIMENT_KIND_TAG)) {
            setExperimentTag(id, EXPERIMENT_KIND_TAG, MODEL_TRAINING_KIND);
        }
        return id;
    }

    private Optional<JsonNode> findExperiment(String name) {
        String operation = "get-experiment-by-name '" + name + "'";
        JsonNode experiment;
        try {
            experiment = http.get(API + "experiments/get-by-name", Map.of("experiment_name", name), operation)
                    .path("experiment");
        } catch (MlflowException e) {
            if (e instanceof MlflowUnavailableException || !e.isNotFound()) {
                throw e;
            }
            return Optional.empty();
        }
        if ("deleted".equals(experiment.path("lifecycle_stage").asText())) {
            // A deleted experiment keeps its name; creating another one of that name fails.
            throw new MlflowException(http.server(), operation, 0, "", "experiment '" + name + "' (id "
                    + experiment.path("experiment_id").asText() + ") is deleted: restore it (MLflow UI, or "
                    + "POST experiments/restore) or use another name", null);
        }
        return Optional.of(experiment);
    }

    // ---- runs --------------------------------------------------------------------------------------

    public RunInfo createRun(String experimentId, String runName, Instant start, Map<String, String> tags) {
        ObjectNode request = http.object().put("experiment_id", experimentId).put("start_time", start.toEpochMilli());
        if (runName != null) {
            request.put("run_name", runName);
        }
        MlflowJson.putKeyValues(request, "tags", tags);
        JsonNode answer = http.post(API + "runs/create", request,
                "create-run '" + runName + "' in experiment " + experimentId);
        return MlflowJson.runInfo(answer.path("run").path("info"));
    }

    /** The run with its params, tags and the latest value of each metric. */
    public Run getRun(String runId) {
        JsonNode answer = http.get(API + "runs/get", Map.of("run_id", runId), "get-run " + runId);
        return MlflowJson.run(answer.path("run"));
    }

    public void finishRun(String runId, RunStatus status, Instant end) {
        Objects.requireNonNull(status, "status");
        ObjectNode request = http.object().put("run_id", runId).put("status", status.name());
        if (end != null) {
            request.put("end_time", end.toEpochMilli());
        }
        http.post(API + "runs/update", request, "update-run " + runId + " to " + status);
    }

    /** Ends the run as FINISHED now. */
    public void setTerminated(String runId) {
        finishRun(runId, RunStatus.FINISHED, Instant.now());
    }

    /** Ends the run with this status now. */
    public void setTerminated(String runId, RunStatus status) {
        finishRun(runId, status, Instant.now());
    }

    /**
     * Active runs of these experiments matching an MLflow search filter (e.g.
     * {@code params.model = 'resnet50' and metrics.top1 > 0.9}; null or "" for all), newest first, at most {@code max}.
     */
    public List<Run> searchRuns(List<String> experimentIds, String filter, int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive, got " + max);
        }
        List<Run> runs = new ArrayList<>();
        String pageToken = "";
        do {
            ObjectNode request = http.object();
            ArrayNode ids = request.putArray("experiment_ids");
            experimentIds.forEach(ids::add);
            if (filter != null && !filter.isBlank()) {
                request.put("filter", filter);
            }
            request.put("max_results", Math.min(SEARCH_RUNS_PAGE_SIZE, max - runs.size()));
            if (!pageToken.isEmpty()) {
                request.put("page_token", pageToken);
            }
            JsonNode answer = http.post(API + "runs/search", request,
                    "search-runs in experiments " + experimentIds + " for '" + filter + "'");
            answer.path("runs").forEach(r -> runs.add(MlflowJson.run(r)));
            pageToken = answer.path("next_page_token").asText("");
        } while (!pageToken.isEmpty() && runs.size() < max);
        return runs.size() > max ? List.copyOf(runs.subList(0, max)) : runs;
    }

    /**
     * Every point of one metric of a run, ordered by step (then time). The server pages the history in
     * timestamp order, not step order, so the client sorts.
     */
    public List<MetricPoint> metricHistory(String runId, String key) {
        List<MetricPoint> points = new ArrayList<>();
        String pageToken = "";
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("run_id", runId);
            query.put("metric_key", key);
            query.put("max_results", Integer.toString(HISTORY_PAGE_SIZE));
            if (!pageToken.isEmpty()) {
                query.put("page_token", pageToken);
            }
            JsonNode answer = http.get(API + "metrics/get-history", query,
                    "get-metric-history '" + key + "' of run " + runId);
            answer.path("metrics").forEach(m -> points.add(new MetricPoint(m.path("step").asLong(),
                    m.path("value").asDouble(), m.path("timestamp").asLong())));
            pageToken = answer.path("next_page_token").asText("");
        } while (!pageToken.isEmpty());
        points.sort(Comparator.comparingLong(MetricPoint::step).thenComparingLong(MetricPoint::timestampMs));
        return points;
    }

    /**
     * Logs metrics, params and tags in as many {@code runs/log-batch} requests as MLflow's limits need
     * (see {@link MlflowLimits}). Everything is validated first. If a request fails, the ones before it
     * have been written: metrics are append-only in MLflow, so a caller retrying the whole batch may
     * duplicate metric points (params and tags are idempotent).
     */
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        List<LogBatchSplitter.Chunk> chunks = LogBatchSplitter.split(orEmpty(metrics), orEmpty(params), orEmpty(tags));
        for (int i = 0; i < chunks.size(); i++) {
            LogBatchSplitter.Chunk chunk = chunks.get(i);
            ObjectNode request = http.object().put("run_id", runId);
            MlflowJson.putMetrics(request, chunk.metrics());
            ArrayNode paramList = request.putArray("params");
            chunk.params().forEach(p -> paramList.addObject().put("key", p.key()).put("value", p.value()));
            ArrayNode tagList = request.putArray("tags");
            chunk.tags().forEach(t -> tagList.addObject().put("key", t.key()).put("value", t.value()));
            String part = chunks.size() == 1 ? "" : " (request " + (i + 1) + " of " + chunks.size() + ")";
            http.post(API + "runs/log-batch", request, "log-batch for run " + runId + part);
        }
    }

    /**
     * Records the datasets the run read ({@code runs/log-inputs}), each with its context as the
     * {@value DatasetInput#CONTEXT_TAG} input tag. Repeating it is harmless: MLflow links a dataset (same
     * name and digest) to a run once, and ignores the repeat, its tags included.
     */
    public void logInputs(String runId, List<DatasetInput> inputs) {
        if (inputs.isEmpty()) {
            return;
        }
        ObjectNode request = http.object().put("run_id", runId);
        ArrayNode datasets = request.putArray("datasets");
        for (DatasetInput input : inputs) {
            ObjectNode entry = datasets.addObject();
            ObjectNode dataset = entry.putObject("dataset").put("name", input.name()).put("digest", input.digest())
                    .put("source_type", input.sourceType()).put("source", input.source());
            if (input.profile() != null) {
                dataset.put("profile", input.profile());
            }
            ArrayNode tags = entry.putArray("tags");
            if (input.context() != null) {
                tags.addObject().put("key", DatasetInput.CONTEXT_TAG).put("value", input.context());
            }
        }
        http.post(API + "runs/log-inputs", request, "log-inputs for run " + runId);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    // ---- artifacts ---------------------------------------------------------------------------------

    /** Uploads one file as {@code <artifactDir>/<file name>} ({@code artifactDir} "" or null for the root). */
    public void uploadArtifact(RunInfo run, Path file, String artifactDir) {
        artifacts.upload(run, file, artifactDir);
    }

    public void uploadArtifact(String runId, Path file, String artifactDir) {
        artifacts.upload(getRun(runId).info(), file, artifactDir);
    }

    /** Uploads every file under {@code folder} into {@code artifactDir}, keeping the tree; returns how many. */
    public int uploadDirectory(RunInfo run, Path folder, String artifactDir) {
        return artifacts.uploadDirectory(run, folder, artifactDir);
    }

    public int uploadDirectory(String runId, Path folder, String artifactDir) {
        return artifacts.uploadDirectory(getRun(runId).info(), folder, artifactDir);
    }

    /** The files and folders directly in {@code path} ("" or null for the root), paths relative to the run's root. */
    public List<ArtifactEntry> listArtifacts(String runId, String path) {
        return artifacts.list(runId, path);
    }

    /** Downloads one artifact file to {@code target} (replaced if present; folders created). */
    public void downloadArtifact(String runId, String path, Path target) {
        artifacts.download(getRun(runId).info(), path, target);
    }

    public void downloadArtifact(RunInfo run, String path, Path target) {
        artifacts.download(run, path, target);
    }

    // ---- model registry ----------------------------------------------------------------------------

    /** Creates the registered model; one that exists already is left as it is (tags and description included). */
    public void createRegisteredModel(String name, Map<String, String> tags, String description) {
        registry.createRegisteredModel(name, tags, description);
    }

    /**
     * Registers a new version and waits until it is READY (up to the builder's registration timeout).
     *
     * @param source the model's artifact URI, usually {@code run.artifactSource("model")}
     * @param runId  the run that produced it, or null
     */
    public ModelVersion createModelVersion(String name, String source, String runId, Map<String, String> tags,
                                           String description) {
        return registry.createModelVersion(name, source, runId, tags, description);
    }

    public ModelVersion getModelVersion(String name, String version) {
        return registry.getModelVersion(name, version);
    }

    public void setModelVersionTag(String name, String version, String key, String value) {
        registry.setModelVersionTag(name, version, key, value);
    }

    /** Points the alias at this version, moving it away from the version it named before. */
    public void setAlias(String name, String alias, String version) {
        registry.setAlias(name, alias, version);
    }

    public void deleteAlias(String name, String alias) {
        registry.deleteAlias(name, alias);
    }

    /** The version the alias points at; empty when the alias (or the model) does not exist. */
    public Optional<ModelVersion> versionByAlias(String name, String alias) {
        return registry.versionByAlias(name, alias);
    }

    /** Model versions matching an MLflow filter, e.g. {@code name = 'resnet50'} or {@code run_id = '...'}; all pages. */
    public List<ModelVersion> searchModelVersions(String filter) {
        return registry.searchModelVersions(filter);
    }

    // ---- UI links ----------------------------------------------------------------------------------

    /** The experiment's runs in the UI's model-training view. */
    public URI experimentUrl(String experimentId) {
        return links.experiment(experimentId);
    }

    public URI runUrl(String experimentId, String runId) {
        return links.run(experimentId, runId);
    }

    /** The UI page comparing these runs side by side (params, metrics, charts). */
    public URI compareRunsUrl(String experimentId, List<String> runIds) {
        return links.compareRuns(List.of(experimentId), runIds);
    }

    public URI modelVersionUrl(String name, String version) {
        return links.modelVersion(name, version);
    }

    /** Settings of a client; only the server is required. */
    public static final class Builder {
        private URI server;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration transferTimeout = Duration.ofMinutes(30);
        private Duration registrationTimeout = Duration.ofMinutes(5);
        private HttpClient httpClient;
        private String authorization;
        private String account;

        private Builder() {
        }

        /** The tracking server, e.g. {@code http://127.0.0.1:5000} (a path prefix is kept). */
        public Builder setServer(URI server) {
            this.server = server;
            return this;
        }

        /** Time to establish a connection (ignored with {@link #optHttpClient}). Default 10 s. */
        public Builder optConnectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        /** Time a JSON call may take until the answer starts. Default 60 s. */
        public Builder optRequestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "request timeout");
            return this;
        }

        /** Time an artifact upload may take until the server answers (the whole body is sent first). Default 30 min. */
        public Builder optTransferTimeout(Duration timeout) {
            this.transferTimeout = positive(timeout, "transfer timeout");
            return this;
        }

        /** How long {@link #createModelVersion} waits for PENDING_REGISTRATION to end. Default 5 min. */
        public Builder optRegistrationTimeout(Duration timeout) {
            this.registrationTimeout = positive(timeout, "registration timeout");
            return this;
        }

        /** An HttpClient of your own (proxy, TLS settings). */
        public Builder optHttpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Sends {@code Authorization: Bearer <token>} (MLFLOW_TRACKING_TOKEN-style servers). */
        public Builder optBearerToken(String token) {
            this.authorization = "Bearer " + Objects.requireNonNull(token, "token");
            this.account = "bearer token";
            return this;
        }

        /** Sends HTTP basic authentication (MLflow's basic-auth app, MLFLOW_TRACKING_USERNAME/PASSWORD-style). */
        public Builder optBasicAuth(String user, String password) {
            return optAccount(new MlflowAccount(user, password));
        }

        /** Authenticates as this account (HTTP basic authentication); refusals name its user. */
        public Builder optAccount(MlflowAccount account) {
            String pair = account.user() + ":" + account.password();
            this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
            this.account = account.user();
            return this;
        }

        public MlflowClient build() {
            if (server == null) {
                throw new IllegalArgumentException("the MLflow server URI is required (setServer), e.g. http://127.0.0.1:5000");
            }
            String scheme = server.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme) || server.getHost() == null) {
                throw new IllegalArgumentException("the MLflow server URI must be http(s)://host[:port][/prefix], got '" + server + "'");
            }
            if (server.getQuery() != null || server.getFragment() != null) {
                throw new IllegalArgumentException("the MLflow server URI must not have a query or fragment, got '" + server + "'");
            }
            return new MlflowClient(this);
        }

        private static Duration positive(Duration duration, String what) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + duration);
            }
            return duration;
        }
    }
}
