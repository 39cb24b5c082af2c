package dev.resnetops.workflows.definition;

/** A value written out: {@link String}, {@link Long}, {@link Double} or {@link Boolean}. */
public record Literal(Object value, int line) implements Value {

    public ValueType type() {
        return ValueType.of(value).orElseThrow(() -> new IllegalStateException("not a literal: " + value));
    }
}
