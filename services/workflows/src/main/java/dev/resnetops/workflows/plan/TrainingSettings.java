package dev.resnetops.workflows.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training fields a train step sets, each with the line that set it, after {@code extends} layers
 * and fan-out points are applied. The line is kept so that TrainingConfig's verdict on a field
 * ("labelSmoothing: must be in [0, 1)") can point at the line that wrote the bad value, which may be
 * in an extended step or a grid.
 *
 * @param dataset    resolved dataset (a string, or an output placeholder)
 * @param experiment resolved experiment, or null when none is set
 */
record TrainingSettings(JsonNode dataset, JsonNode experiment, Map<String, Setting> fields) {

    /** One field's value and where it was written. */
    record Setting(JsonNode value, int line) {
    }

    TrainingSettings {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** These settings with {@code overrides} on top (a fan-out point's fields). */
    TrainingSettings with(Map<String, Setting> overrides) {
        Map<String, Setting> merged = new LinkedHashMap<>(fields);
        merged.putAll(overrides);
        return new TrainingSettings(dataset, experiment, merged);
    }
}
