package dev.resnetops.tracking;

import java.util.Objects;

/**
 * A run parameter. MLflow lets a param be written once: logging the same key with another value fails.
 *
 * @param key   at most {@value MlflowLimits#MAX_KEY_LENGTH} characters
 * @param value at most {@value MlflowLimits#MAX_PARAM_VALUE_LENGTH} characters
 */
public record Param(String key, String value) {

    public Param {
        Objects.requireNonNull(key, "param key");
        Objects.requireNonNull(value, () -> "value of param '" + key + "'");
    }
}
