package dev.resnetops.workflows.definition;

import java.util.List;

/**
 * Text with parameters in it, e.g. {@code ablation-${params.dataset}}; always a string. Parts are
 * string {@link Literal}s and {@link ParameterReference}s. Step outputs are not allowed inside text:
 * they are whole values only, so the plan can carry them as typed placeholders.
 */
public record TextTemplate(List<Value> parts, int line) implements Value {

    public TextTemplate {
        parts = List.copyOf(parts);
    }
}
