package dev.resnetops.vision.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One thing wrong with a training configuration, in parts a caller can act on without reading the
 * sentence: which field, which kind of rule it broke, and the value it held.
 *
 * @param field   the configuration field, or null when the problem is with the configuration as a whole
 *                (not valid JSON/YAML, not a mapping)
 * @param rule    the kind of rule broken
 * @param found   the value the field held, as JSON (a JSON null when it was null); null when there is no
 *                single value to show (a syntax error, a whole document that is not a mapping)
 * @param message what is wrong and what is allowed, for a person, without the field name:
 *                "must be in [1, 10000], found 0"
 */
public record ConfigProblem(String field, Rule rule, JsonNode found, String message) {

    /** The kinds of rules a training configuration is checked against. */
    public enum Rule {
        /** The text is not valid JSON or YAML. */
        SYNTAX,
        /** The configuration is not a mapping of field names to values (a list, a number...). */
        NOT_A_MAPPING,
        /** No training configuration field has this name. */
        UNKNOWN_FIELD,
        /** The value cannot be read as the field's type (a fraction for an int, a list for a number). */
        WRONG_TYPE,
        /** The field needs a value and was given null. */
        REQUIRED,
        /** A number outside the field's bounds, including bounds set by another field. */
        OUT_OF_RANGE,
        /** Not one of the names the field accepts (a model preset, a schedule, a precision). */
        NOT_ONE_OF,
        /** A value the field knows but this platform cannot run (bf16). */
        UNSUPPORTED,
        /** Valid alone, but not together with another field's value (Nesterov without momentum). */
        CONFLICT
    }

    public ConfigProblem {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    /** "field: message", or the message alone for the configuration as a whole. */
    @Override
    public String toString() {
        return field == null ? message : field + ": " + message;
    }
}
