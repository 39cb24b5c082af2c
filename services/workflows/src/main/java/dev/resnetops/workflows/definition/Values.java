package dev.resnetops.workflows.definition;

import java.util.ArrayList;
import java.util.List;

/** Walks a {@link Value} for the references inside it (lists and templates nest them). */
public final class Values {

    private Values() {}

    public static List<ParameterReference> parameterReferences(Value value) {
        List<ParameterReference> found = new ArrayList<>();
        collect(value, found, new ArrayList<>());
        return found;
    }

    public static List<OutputReference> outputReferences(Value value) {
        List<OutputReference> found = new ArrayList<>();
        collect(value, new ArrayList<>(), found);
        return found;
    }

    private static void collect(Value value, List<ParameterReference> parameters, List<OutputReference> outputs) {
        if (value instanceof ParameterReference ref) {
            parameters.add(ref);
        } else if (value instanceof OutputReference ref) {
            outputs.add(ref);
        } else if (value instanceof ListValue list) {
            list.items().forEach(item -> collect(item, parameters, outputs));
        } else if (value instanceof TextTemplate text) {
            text.parts().forEach(part -> collect(part, parameters, outputs));
        }
    }
}
