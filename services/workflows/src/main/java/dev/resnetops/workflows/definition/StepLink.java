package dev.resnetops.workflows.definition;

/** A step named by id from somewhere else in the definition (needs, of, candidates, extends, rows). */
public record StepLink(String id, int line) {
}
