package dev.resnetops.contracts.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One thing wrong with a request or a dataset: where ({@code field} or file) and why, for a person.
 * Where the server knows the rule that was broken (the fields of a training configuration), it also says
 * which kind of rule and the value it found, so a client can react without parsing the message.
 *
 * @param rule  the kind of rule broken, e.g. {@code OUT_OF_RANGE}, {@code UNKNOWN_FIELD} (for a training
 *              configuration: the names of vision's {@code ConfigProblem.Rule}); null when not known
 * @param found the value that broke it, as JSON (JSON null when the value was null); absent when not known
 */
// Absent rather than null, so the bodies of problems without a rule look as they always did.
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String field, String message, String rule, JsonNode found) {

    @JsonCreator
    public Problem {
    }

    public Problem(String field, String message) {
        this(field, message, null, null);
    }
}
