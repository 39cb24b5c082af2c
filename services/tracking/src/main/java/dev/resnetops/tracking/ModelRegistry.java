package dev.resnetops.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The model registry endpoints ({@code registered-models/*}, {@code model-versions/*}). */
final class ModelRegistry {

    private static final String API = "/api/2.0/mlflow/";
    private static final String INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE";
    /** Page size for searches; MLflow allows up to 200,000 model versions per page. */
    private static final int SEARCH_PAGE_SIZE = 1000;

    private final MlflowHttp http;
    private final Duration registrationTimeout;

    ModelRegistry(MlflowHttp http, Duration registrationTimeout) {
        this.http = http;
        this.registrationTimeout = registrationTimeout;
    }

    void createRegisteredModel(String name, Map<String, String> tags, String description) {
        ObjectNode request = http.object().put("name", name);
        MlflowJson.putKeyValues(request, "tags", tags);
        if (description != null) {
            request.put("description", description);
        }
        try {
            http.post(API + "registered-models/create", request, "create-registered-model '" + name + "'");
        } catch (MlflowException e) {
            // Idempotent by design: every evaluator run registers "its" model; the first one creates it.
            if (!MlflowException.RESOURCE_ALREADY_EXISTS.equals(e.errorCode())) {
                throw e;
            }
        }
    }

    ModelVersion createModelVersion(String name, String source, String runId, Map<String, String> tags,
                                    String description) {
        ObjectNode request = http.object().put("name", name).put("source", source);
        if (runId != null) {
            request.put("run_id", runId);
        }
        MlflowJson.putKeyValues(request, "tags", tags);
        if (description != null) {
            request.put("description", description);
        }
        JsonNode answer = http.post(API + "model-versions/create", request,
                "create-model-version of '" + name + "' from " + source);
        return awaitReady(MlflowJson.modelVersion(answer.path("model_version")));
    }

    /**
     * Stores with asynchronous registration (e.g. Databricks) answer PENDING_REGISTRATION first; a version
     * cannot be served or aliased meaningfully before it is READY.
     */
    private ModelVersion awaitReady(ModelVersion version) {
        Instant deadline = Instant.now().plus(registrationTimeout);
        long pauseMs = 100;
        while (version.status() == ModelVersionStatus.PENDING_REGISTRATION) {
            if (Instant.now().isAfter(deadline)) {
                throw new MlflowException(http.server(), "registration of " + version.name() + " version " + version.version(),
                        0, "", "still PENDING_REGISTRATION after " + registrationTimeout.toSeconds() + " s", null);
            }
            sleep(pauseMs);
            pauseMs = Math.min(pauseMs * 2, 2_000);
            version = getModelVersion(version.name(), version.version());
        }
        if (version.status() == ModelVersionStatus.FAILED_REGISTRATION) {
            throw new MlflowException(http.server(), "registration of " + version.name() + " version " + version.version(),
                    0, "FAILED_REGISTRATION", version.statusMessage(), null);
        }
        return version;
    }

    ModelVersion getModelVersion(String name, String version) {
        JsonNode answer = http.get(API + "model-versions/get", Map.of("name", name, "version", version),
                "get-model-version " + name + " version " + version);
        return MlflowJson.modelVersion(answer.path("model_version"));
    }

    void setModelVersionTag(String name, String version, String key, String value) {
        ObjectNode request = http.object().put("name", name).put("version", version).put("key", key).put("value", value);
        http.post(API + "model-versions/set-tag", request,
                "set-model-version-tag '" + key + "' on " + name + " version " + version);
    }

    /** Moves the alias if it points elsewhere: an alias names at most one version of a model. */
    void setAlias(String name, String alias, String version) {
        ObjectNode request = http.object().put("name", name).put("alias", alias).put("version", version);
        http.post(API + "registered-models/alias", request,
                "set-alias '" + alias + "' of " + name + " to version " + version);
    }

    void deleteAlias(String name, String alias) {
        ObjectNode request = http.object().put("name", name).put("alias", alias);
        http.delete(API + "registered-models/alias", request, "delete-alias '" + alias + "' of " + name);
    }

    Optional<ModelVersion> versionByAlias(String name, String alias) {
        try {
            JsonNode answer = http.get(API + "registered-models/alias", Map.of("name", name, "alias", alias),
                    "get-model-version-by-alias '" + alias + "' of " + name);
            return Optional.of(MlflowJson.modelVersion(answer.path("model_version")));
        } catch (MlflowException e) {
            if (e instanceof MlflowUnavailableException) {
                throw e;
            }
            if (e.isNotFound()) {
                return Optional.empty(); // no such model
            }
            // MLflow 3.17 answers an unknown alias of an existing model with 400 INVALID_PARAMETER_VALUE,
            // not 404: ask the model which aliases it has rather than parse the message.
            if (INVALID_PARAMETER_VALUE.equals(e.errorCode()) && !aliasesOf(name).contains(alias)) {
                return Optional.empty();
            }
            // MLflow's basic-auth app refuses an alias lookup on a model that does not exist with 403 for
            // every non-admin account (it cannot find the model to check the grant on), while the model
            // lookup itself answers 404 to an account allowed to read models: ask that to tell the two apart.
            if (e instanceof MlflowAccessDeniedException && !modelExists(name)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private boolean modelExists(String name) {
        try {
            http.get(API + "registered-models/get", Map.of("name", name), "get-registered-model " + name);
            return true;
        } catch (MlflowException e) {
            if (e instanceof MlflowUnavailableException || !e.isNotFound()) {
                throw e;
            }
            return false;
        }
    }

    private List<String> aliasesOf(String name) {
        JsonNode model = http.get(API + "registered-models/get", Map.of("name", name), "get-registered-model " + name)
                .path("registered_model");
        List<String> aliases = new ArrayList<>();
        model.path("aliases").forEach(a -> aliases.add(a.path("alias").asText()));
        return aliases;
    }

    List<ModelVersion> searchModelVersions(String filter) {
        List<ModelVersion> versions = new ArrayList<>();
        String pageToken = "";
        do {
            Map<String, String> query = new LinkedHashMap<>();
            if (filter != null && !filter.isBlank()) {
                query.put("filter", filter);
            }
            query.put("max_results", Integer.toString(SEARCH_PAGE_SIZE));
            if (!pageToken.isEmpty()) {
                query.put("page_token", pageToken);
            }
            JsonNode answer = http.get(API + "model-versions/search", query, "search-model-versions '" + filter + "'");
            answer.path("model_versions").forEach(v -> versions.add(MlflowJson.modelVersion(v)));
            pageToken = answer.path("next_page_token").asText("");
        } while (!pageToken.isEmpty());
        return versions;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlflowUnavailableException(http.server(), "waiting for a model version to become READY", 0, "",
                    "interrupted", e);
        }
    }
}
