package dev.resnetops.workflows.definition;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds of step and the outputs each one records when it has run. The outputs are a contract
 * with the executor: it writes exactly these keys into the step's output, and {@code ${steps.ID.OUTPUT}}
 * references and the result table read them.
 */
public enum StepKind {
    /** Registers a dataset source and waits until it is ingested. */
    INGEST("ingest", outputs("dataset", ValueType.STRING, "version", ValueType.STRING)),
    /** Submits one training job and waits until it has completed. */
    TRAIN("train", outputs("job", ValueType.STRING, "run", ValueType.STRING)),
    /** Waits for the evaluator's test-set numbers of a train step's job (every completed job is evaluated). */
    EVALUATE("evaluate", outputs("job", ValueType.STRING, "top1", ValueType.NUMBER, "top5", ValueType.NUMBER)),
    /** Waits for the ONNX model version the evaluator registers for a train step's job. */
    EXPORT("export", outputs("model", ValueType.STRING, "version", ValueType.INT, "onnx", ValueType.STRING)),
    /** Moves an alias to the best candidate if the condition holds. */
    PROMOTE("promote", outputs("promoted", ValueType.BOOL, "winner", ValueType.STRING, "model", ValueType.STRING,
            "version", ValueType.INT, "top1", ValueType.NUMBER)),
    /** Expands into one train step per point of a grid or of random samples; has no outputs of its own. */
    FAN_OUT("fan-out", Map.of());

    private final String key;
    private final Map<String, ValueType> outputs;

    StepKind(String key, Map<String, ValueType> outputs) {
        this.key = key;
        this.outputs = outputs;
    }

    @JsonValue
    public String key() {
        return key;
    }

    /** Output names and types, in a stable order. */
    public Map<String, ValueType> outputs() {
        return outputs;
    }

    public static Optional<StepKind> fromKey(String key) {
        return Arrays.stream(values()).filter(kind -> kind.key.equals(key)).findFirst();
    }

    private static Map<String, ValueType> outputs(Object... namesAndTypes) {
        Map<String, ValueType> outputs = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            outputs.put((String) namesAndTypes[i], (ValueType) namesAndTypes[i + 1]);
        }
        return Collections.unmodifiableMap(outputs);
    }

    @Override
    public String toString() {
        return key;
    }
}
