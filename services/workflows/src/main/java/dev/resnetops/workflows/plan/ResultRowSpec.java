package dev.resnetops.workflows.plan;

/**
 * One row of the result table: its label, and the train and evaluate steps whose numbers fill it.
 */
public record ResultRowSpec(String label, String train, String evaluate) {
}
