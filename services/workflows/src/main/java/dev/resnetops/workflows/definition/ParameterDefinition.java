package dev.resnetops.workflows.definition;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A workflow parameter: a typed value with a default that a request to run the workflow may override.
 * A parameter without a default must be given by every request.
 *
 * @param allowed the only values accepted, when not empty (e.g. precision: auto, fp32, fp16)
 * @param min     inclusive lower bound of an int or number parameter
 * @param max     inclusive upper bound of an int or number parameter
 */
public record ParameterDefinition(String name, int line, ValueType type, Optional<Object> defaultValue,
                                  String description, List<Object> allowed, OptionalDouble min, OptionalDouble max) {

    public ParameterDefinition {
        allowed = List.copyOf(allowed);
    }

    /** {@code value} in this parameter's canonical Java type, or empty when its type is different. */
    public Optional<Object> normalise(Object value) {
        return type.normalise(value);
    }

    /** Why a value of the right type is still refused (not one of {@code allowed}, out of bounds), if it is. */
    public Optional<String> constraintProblem(Object normalised) {
        if (!allowed.isEmpty() && !allowed.contains(normalised)) {
            return Optional.of("must be one of " + allowed + ", found " + normalised);
        }
        if (normalised instanceof Number number) {
            double x = number.doubleValue();
            if (min.isPresent() && x < min.getAsDouble()) {
                return Optional.of("must be at least " + plain(min.getAsDouble()) + ", found " + normalised);
            }
            if (max.isPresent() && x > max.getAsDouble()) {
                return Optional.of("must be at most " + plain(max.getAsDouble()) + ", found " + normalised);
            }
        }
        return Optional.empty();
    }

    private static String plain(double x) {
        return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }
}
