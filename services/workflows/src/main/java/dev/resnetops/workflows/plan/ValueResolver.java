package dev.resnetops.workflows.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.resnetops.workflows.definition.ListValue;
import dev.resnetops.workflows.definition.Literal;
import dev.resnetops.workflows.definition.OutputReference;
import dev.resnetops.workflows.definition.ParameterReference;
import dev.resnetops.workflows.definition.TextTemplate;
import dev.resnetops.workflows.definition.Value;
import dev.resnetops.workflows.definition.ValueType;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Turns a definition's {@link Value} into the JSON a planned step carries, with the run's parameters
 * filled in. The parser has checked names and types, so this only converts: an int is written as a
 * number where a number is expected, and step outputs become {@link OutputPlaceholder}s.
 */
final class ValueResolver {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<String, Object> parameters;

    ValueResolver(Map<String, Object> parameters) {
        this.parameters = parameters;
    }

    JsonNode resolve(Value value, ValueType expected) {
        if (value instanceof Literal literal) {
            return scalar(literal.value(), expected);
        }
        if (value instanceof ParameterReference reference) {
            return scalar(parameter(reference), expected);
        }
        if (value instanceof OutputReference reference) {
            return new OutputPlaceholder(reference.step(), reference.output()).toJson();
        }
        if (value instanceof TextTemplate template) {
            StringBuilder text = new StringBuilder();
            for (Value part : template.parts()) {
                Object piece = part instanceof ParameterReference reference ? parameter(reference) : ((Literal) part).value();
                text.append(text(piece));
            }
            return JSON.textNode(text.toString());
        }
        ArrayNode array = JSON.arrayNode();
        ((ListValue) value).items().forEach(item -> array.add(resolve(item, ValueType.NUMBER)));
        return array;
    }

    /** A scalar written into text: numbers without exponent or trailing zeros (0.1, 100, 0.0001). */
    static String text(Object value) {
        if (value instanceof Double number) {
            return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    /** The same, for a resolved JSON scalar. */
    static String text(JsonNode node) {
        if (node.isFloatingPointNumber()) {
            return text(node.doubleValue());
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }

    private Object parameter(ParameterReference reference) {
        Object value = parameters.get(reference.parameter());
        if (value == null) {
            throw new IllegalStateException("parameter " + reference.parameter() + " was not bound");
        }
        return value;
    }

    private static JsonNode scalar(Object value, ValueType expected) {
        if (value instanceof Long number) {
            return expected == ValueType.NUMBER ? JSON.numberNode(number.doubleValue()) : JSON.numberNode(number);
        }
        if (value instanceof Double number) {
            return JSON.numberNode(number);
        }
        if (value instanceof Boolean flag) {
            return JSON.booleanNode(flag);
        }
        return JSON.textNode((String) value);
    }
}
