package dev.resnetops.workflows.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A step output known only at run time, as it sits in a planned step's inputs:
 * {@code {"$output": {"step": "ingest", "output": "dataset"}}}. A typed object rather than the
 * {@code ${...}} text, so no literal string can ever be mistaken for one.
 *
 * @param step   the key of the planned step that produces it
 * @param output one of that step kind's outputs
 */
public record OutputPlaceholder(String step, String output) {

    public static final String FIELD = "$output";

    public ObjectNode toJson() {
        ObjectNode placeholder = JsonNodeFactory.instance.objectNode();
        placeholder.putObject(FIELD).put("step", step).put("output", output);
        return placeholder;
    }

    /** The placeholder {@code node} is, if it is one. */
    public static Optional<OutputPlaceholder> read(JsonNode node) {
        if (node != null && node.isObject() && node.size() == 1 && node.has(FIELD)) {
            JsonNode target = node.get(FIELD);
            return Optional.of(new OutputPlaceholder(target.path("step").asText(), target.path("output").asText()));
        }
        return Optional.empty();
    }
}
