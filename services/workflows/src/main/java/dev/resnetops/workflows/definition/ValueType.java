package dev.resnetops.workflows.definition;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/** The types a parameter, a field or a step output can have. */
public enum ValueType {
    STRING("string"),
    INT("int"),
    /** Any number; an int is accepted where a number is expected. */
    NUMBER("number"),
    BOOL("bool"),
    /** Only for training fields such as {@code stepMilestones}; parameters are scalars. */
    NUMBER_LIST("list of numbers");

    private final String key;

    ValueType(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public boolean accepts(ValueType actual) {
        return this == actual || (this == NUMBER && actual == INT);
    }

    /** The type a parameter declares with {@code type:}; lists are not parameter types. */
    public static Optional<ValueType> parameterType(String key) {
        return Arrays.stream(values()).filter(type -> type != NUMBER_LIST && type.key.equals(key)).findFirst();
    }

    /** The type of a value as YAML or JSON typed it (String, Long/Integer, Double, Boolean). */
    public static Optional<ValueType> of(Object value) {
        if (value instanceof String) {
            return Optional.of(STRING);
        }
        if (value instanceof Long || value instanceof Integer) {
            return Optional.of(INT);
        }
        if (value instanceof Double || value instanceof Float) {
            return Optional.of(NUMBER);
        }
        if (value instanceof Boolean) {
            return Optional.of(BOOL);
        }
        return Optional.empty();
    }

    /**
     * {@code value} in this type's canonical Java type (Long for int, Double for number), or empty when
     * it has another type. JSON numbers arrive as Integer, Long, BigInteger, Double or BigDecimal
     * depending on the decoder; a fraction is never taken for an int (2.5 epochs is an error, not 2).
     */
    public Optional<Object> normalise(Object value) {
        switch (this) {
            case STRING:
                return value instanceof String ? Optional.of(value) : Optional.empty();
            case BOOL:
                return value instanceof Boolean ? Optional.of(value) : Optional.empty();
            case INT:
                return integral(value).map(Object.class::cast);
            case NUMBER:
                if (value instanceof BigInteger big && big.bitLength() > 63) {
                    return Optional.empty();
                }
                return value instanceof Number number ? Optional.of(number.doubleValue()) : Optional.empty();
            default:
                return Optional.empty(); // lists are never parameters or overrides
        }
    }

    private static Optional<Long> integral(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return Optional.of(((Number) value).longValue());
        }
        if (value instanceof BigInteger big && big.bitLength() <= 63) {
            return Optional.of(big.longValue());
        }
        if (value instanceof BigDecimal decimal) {
            try {
                return Optional.of(decimal.longValueExact());
            } catch (ArithmeticException notAnInt) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return key;
    }
}
