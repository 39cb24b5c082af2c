package dev.resnetops.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads MLflow's JSON answers into the records, and writes key/value lists. MLflow leaves out fields
 * that hold their default (an empty list, a zero, an unset end time), so every read has a fallback.
 */
final class MlflowJson {

    private MlflowJson() {
    }

    static RunInfo runInfo(JsonNode info) {
        // run_uuid is the pre-1.0 name of run_id; servers still send both.
        String runId = info.hasNonNull("run_id") ? info.get("run_id").asText() : info.path("run_uuid").asText();
        return new RunInfo(runId,
                info.path("experiment_id").asText(),
                info.path("run_name").asText(""),
                RunStatus.valueOf(info.path("status").asText(RunStatus.RUNNING.name())),
                instant(info.get("start_time")),
                instant(info.get("end_time")),
                info.path("artifact_uri").asText(""),
                info.path("lifecycle_stage").asText(""));
    }

    static Run run(JsonNode run) {
        JsonNode data = run.path("data");
        Map<String, Metric> metrics = new LinkedHashMap<>();
        for (JsonNode m : data.path("metrics")) {
            Metric metric = metric(m);
            metrics.put(metric.key(), metric);
        }
        List<DatasetInput> inputs = new ArrayList<>();
        for (JsonNode input : run.path("inputs").path("dataset_inputs")) {
            inputs.add(datasetInput(input));
        }
        return new Run(runInfo(run.path("info")), keyValues(data.path("params")), metrics, keyValues(data.path("tags")),
                inputs);
    }

    static DatasetInput datasetInput(JsonNode input) {
        JsonNode d = input.path("dataset");
        String context = keyValues(input.path("tags")).get(DatasetInput.CONTEXT_TAG);
        return new DatasetInput(d.path("name").asText(), d.path("digest").asText(), d.path("source_type").asText(),
                d.path("source").asText(), d.hasNonNull("profile") ? d.get("profile").asText() : null, context);
    }

    static Metric metric(JsonNode m) {
        return new Metric(m.path("key").asText(), m.path("value").asDouble(), m.path("timestamp").asLong(),
                m.path("step").asLong());
    }

    static ModelVersion modelVersion(JsonNode v) {
        List<String> aliases = new ArrayList<>();
        v.path("aliases").forEach(a -> aliases.add(a.asText()));
        return new ModelVersion(v.path("name").asText(),
                v.path("version").asText(),
                ModelVersionStatus.valueOf(v.path("status").asText(ModelVersionStatus.READY.name())),
                v.path("status_message").asText(""),
                v.path("source").asText(""),
                v.path("run_id").asText(""),
                v.path("description").asText(""),
                keyValues(v.path("tags")),
                aliases,
                instant(v.get("creation_timestamp")),
                instant(v.get("last_updated_timestamp")));
    }

    static ArtifactEntry artifactEntry(JsonNode f) {
        return new ArtifactEntry(f.path("path").asText(), f.path("is_dir").asBoolean(false), f.path("file_size").asLong(0));
    }

    /** MLflow's [{key, value}, ...] lists as an ordered map. */
    static Map<String, String> keyValues(JsonNode list) {
        Map<String, String> map = new LinkedHashMap<>();
        for (JsonNode entry : list) {
            map.put(entry.path("key").asText(), entry.path("value").asText(""));
        }
        return map;
    }

    static void putKeyValues(ObjectNode request, String field, Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        ArrayNode list = request.putArray(field);
        values.forEach((key, value) -> list.addObject().put("key", key).put("value", value));
    }

    static void putMetrics(ObjectNode request, List<Metric> metrics) {
        ArrayNode list = request.putArray("metrics");
        for (Metric m : metrics) {
            list.addObject().put("key", m.key()).put("value", m.value()).put("timestamp", m.timestampMs()).put("step", m.step());
        }
    }

    private static Instant instant(JsonNode epochMillis) {
        // int64 fields may arrive as numbers or as strings; asLong reads both.
        return epochMillis == null || epochMillis.isNull() ? null : Instant.ofEpochMilli(epochMillis.asLong());
    }
}
