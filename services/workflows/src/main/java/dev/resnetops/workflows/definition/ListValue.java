package dev.resnetops.workflows.definition;

import java.util.List;

public record ListValue(List<Value> items, int line) implements Value {

    public ListValue {
        items = List.copyOf(items);
    }
}
