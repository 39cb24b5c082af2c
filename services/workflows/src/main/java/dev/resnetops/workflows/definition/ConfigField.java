package dev.resnetops.workflows.definition;

/**
 * One training configuration field set by a train step, e.g. {@code labelSmoothing: 0.1}.
 *
 * @param type the field's type in TrainingConfig, known once the parser has checked the name
 */
public record ConfigField(String name, Value value, int line, ValueType type) {
}
