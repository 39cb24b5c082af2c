package dev.resnetops.workflows.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.workflows.definition.StepKind;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One concrete step of a run: what the executor stores as a {@code workflow_steps} row.
 *
 * @param key       unique within the run: the step's id, a fan-out point's {@code id[field=value,...]}, or
 *                  {@code <train key>/evaluate} for an evaluation the planner added
 * @param kind      never {@code fan-out}: fan-outs are expanded into train steps
 * @param dependsOn keys of the steps that must have succeeded before this one starts
 * @param inputs    what the step acts on, per kind (see docs/workflows.md); values known only at run
 *                  time are {@link OutputPlaceholder}s, filled in by {@link #inputsWith}
 * @param origin    the id of the definition step it comes from (the fan-out for its points, the
 *                  evaluated train step or fan-out for an added evaluation)
 */
public record PlannedStep(String key, StepKind kind, List<String> dependsOn, ObjectNode inputs, String origin) {

    public PlannedStep {
        dependsOn = List.copyOf(dependsOn);
        inputs = inputs.deepCopy();
    }

    @Override
    public ObjectNode inputs() {
        return inputs.deepCopy();
    }

    /**
     * The inputs with every output placeholder replaced by the value the producing step recorded.
     *
     * @param outputs each finished step's output object, by step key
     * @throws IllegalStateException if a placeholder's step or output is missing: the executor started a
     *                               step before the step it depends on recorded its outputs
     */
    public ObjectNode inputsWith(Map<String, ? extends JsonNode> outputs) {
        ObjectNode bound = inputs.deepCopy();
        bind(bound, outputs);
        return bound;
    }

    private void bind(JsonNode node, Map<String, ? extends JsonNode> outputs) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode replacement = replacement(field.getValue(), outputs);
                if (replacement != null) {
                    field.setValue(replacement);
                } else {
                    bind(field.getValue(), outputs);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode replacement = replacement(array.get(i), outputs);
                if (replacement != null) {
                    array.set(i, replacement);
                } else {
                    bind(array.get(i), outputs);
                }
            }
        }
    }

    private JsonNode replacement(JsonNode node, Map<String, ? extends JsonNode> outputs) {
        Optional<OutputPlaceholder> placeholder = OutputPlaceholder.read(node);
        if (placeholder.isEmpty()) {
            return null;
        }
        JsonNode output = outputs.get(placeholder.get().step());
        JsonNode value = output == null ? null : output.get(placeholder.get().output());
        if (value == null || value.isNull()) {
            throw new IllegalStateException("step " + key + " needs output '" + placeholder.get().output() + "' of step "
                    + placeholder.get().step() + ", which has not recorded it");
        }
        return value.deepCopy();
    }
}
