package dev.resnetops.workflows.yaml;

/**
 * A scalar as YAML typed it: {@link String}, {@link Long}, {@link Double}, {@link Boolean}, or null for
 * an empty value or {@code null}/{@code ~}. A quoted {@code "2"} stays a string.
 */
public record YamlScalar(int line, Object value) implements YamlNode {

    public boolean isNull() {
        return value == null;
    }

    @Override
    public String describe() {
        if (value == null) {
            return "nothing (null)";
        }
        if (value instanceof String text) {
            return "string '" + text + "'";
        }
        String type = value instanceof Long ? "int" : value instanceof Double ? "number" : "bool";
        return type + " " + value;
    }
}
