package dev.resnetops.workflows.definition;

import java.util.List;
import java.util.Optional;

/**
 * How one training field is sampled: from a range ({@code min}/{@code max}, log-uniform with
 * {@code log: true}; integers for int fields) or from a list of {@code values}.
 */
public record RandomDimension(String field, int line, ValueType type, Optional<Value> min, Optional<Value> max,
                              boolean log, List<Value> choices) {

    public RandomDimension {
        choices = List.copyOf(choices);
    }

    public boolean isChoice() {
        return !choices.isEmpty();
    }
}
