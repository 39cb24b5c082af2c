package dev.resnetops.workflows.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of a fan-out: its stable key, e.g. {@code sweep[learningRate=0.05,labelSmoothing=0.1]},
 * and the training fields it sets on top of the template.
 */
record FanOutPoint(String key, Map<String, TrainingSettings.Setting> fields) {

    FanOutPoint {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
