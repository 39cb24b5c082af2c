package dev.resnetops.workflows.parse;

import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.workflows.definition.ValueType;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * TrainingConfig's fields and their types as a workflow sees them, read from the record itself so a
 * field added to the configuration is usable in workflows without touching this module. Ranges and
 * enum values are not repeated here: the planner hands every configuration to TrainingConfig's own
 * validation.
 */
public final class TrainingFields {

    private static final Map<String, ValueType> TYPES = readTypes();

    private TrainingFields() {}

    public static Optional<ValueType> typeOf(String field) {
        return Optional.ofNullable(TYPES.get(field));
    }

    public static Set<String> names() {
        return TYPES.keySet();
    }

    private static Map<String, ValueType> readTypes() {
        Map<String, ValueType> types = new LinkedHashMap<>();
        for (RecordComponent component : TrainingConfig.class.getRecordComponents()) {
            types.put(component.getName(), typeOf(component.getType()));
        }
        return Collections.unmodifiableMap(types);
    }

    private static ValueType typeOf(Class<?> type) {
        if (type == int.class || type == long.class) {
            return ValueType.INT;
        }
        if (type == double.class || type == float.class) {
            return ValueType.NUMBER;
        }
        if (type == boolean.class) {
            return ValueType.BOOL;
        }
        if (type == double[].class) {
            return ValueType.NUMBER_LIST;
        }
        if (type == String.class || type.isEnum()) {
            return ValueType.STRING; // enums (schedule, precision) are written by their keys
        }
        throw new IllegalStateException("TrainingConfig has a field type workflows do not know: " + type);
    }
}
