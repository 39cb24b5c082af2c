package dev.resnetops.tracking;

import java.util.Objects;

/**
 * A run tag; unlike params, tags may be overwritten.
 *
 * @param key   at most {@value MlflowLimits#MAX_KEY_LENGTH} characters
 * @param value at most {@value MlflowLimits#MAX_TAG_VALUE_LENGTH} characters
 */
public record Tag(String key, String value) {

    public Tag {
        Objects.requireNonNull(key, "tag key");
        Objects.requireNonNull(value, () -> "value of tag '" + key + "'");
    }
}
