package dev.resnetops.workflows.definition;

/**
 * {@code ${steps.ID.OUTPUT}}: an output of another step, known only when that step has run. Using it
 * makes this step depend on that one.
 */
public record OutputReference(String step, String output, int line) implements Value {

    public String text() {
        return "${steps." + step + "." + output + "}";
    }
}
