package dev.resnetops.workflows.definition;

import java.util.Optional;

/** A row (or, for a fan-out, one row per point) of the result table: a trained step and its label. */
public record ResultRowDefinition(StepLink step, Optional<String> label) {
}
