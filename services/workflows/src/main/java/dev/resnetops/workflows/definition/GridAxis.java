package dev.resnetops.workflows.definition;

import java.util.List;

/** One training field of a grid and the values it takes, e.g. {@code learningRate: [0.05, 0.1]}. */
public record GridAxis(String field, int line, ValueType type, List<Value> values) {

    public GridAxis {
        values = List.copyOf(values);
    }
}
