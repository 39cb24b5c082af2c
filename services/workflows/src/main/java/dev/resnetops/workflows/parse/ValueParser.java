package dev.resnetops.workflows.parse;

import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.ListValue;
import dev.resnetops.workflows.definition.Literal;
import dev.resnetops.workflows.definition.OutputReference;
import dev.resnetops.workflows.definition.ParameterReference;
import dev.resnetops.workflows.definition.TextTemplate;
import dev.resnetops.workflows.definition.Value;
import dev.resnetops.workflows.yaml.YamlList;
import dev.resnetops.workflows.yaml.YamlNode;
import dev.resnetops.workflows.yaml.YamlScalar;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a YAML value into a {@link Value}, recognising {@code ${params.NAME}} and
 * {@code ${steps.ID.OUTPUT}}. A string that is exactly one reference takes the referenced value's type
 * ({@code epochs: ${params.epochs}} stays an int); references inside longer text are interpolated as
 * text. <code>$${</code> writes a literal <code>${</code>.
 */
final class ValueParser {

    private static final Pattern PARAMETER = Pattern.compile("params\\.([A-Za-z][A-Za-z0-9_-]*)");
    private static final Pattern OUTPUT = Pattern.compile("steps\\.([A-Za-z0-9][A-Za-z0-9_-]*)\\.([A-Za-z0-9_-]+)");

    private final Problems problems;

    ValueParser(Problems problems) {
        this.problems = problems;
    }

    Optional<Value> parse(YamlNode node, String what) {
        if (node instanceof YamlList list) {
            List<Value> items = new ArrayList<>();
            for (YamlNode item : list.items()) {
                parse(item, what).ifPresent(items::add);
            }
            return Optional.of(new ListValue(items, node.line()));
        }
        if (!(node instanceof YamlScalar scalar) || scalar.isNull()) {
            problems.add(node.line(), what + " must be a value, found " + node.describe());
            return Optional.empty();
        }
        if (scalar.value() instanceof String text) {
            return text(text, node.line(), what);
        }
        return Optional.of(new Literal(scalar.value(), node.line()));
    }

    private Optional<Value> text(String text, int line, String what) {
        List<Value> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int at = 0;
        while (at < text.length()) {
            if (text.startsWith("$${", at)) {
                literal.append("${");
                at += 3;
            } else if (text.startsWith("${", at)) {
                int end = text.indexOf('}', at);
                if (end < 0) {
                    problems.add(line, what + ": '" + text + "' opens a reference with '${' that is never closed");
                    return Optional.empty();
                }
                Optional<Value> reference = reference(text.substring(at + 2, end), line, what);
                if (reference.isEmpty()) {
                    return Optional.empty();
                }
                flush(literal, parts, line);
                parts.add(reference.get());
                at = end + 1;
            } else {
                literal.append(text.charAt(at++));
            }
        }
        flush(literal, parts, line);
        if (parts.size() == 1) {
            return Optional.of(parts.get(0));
        }
        if (parts.isEmpty()) {
            return Optional.of(new Literal("", line));
        }
        for (Value part : parts) {
            if (part instanceof OutputReference output) {
                problems.add(line, what + ": " + output.text() + " must be the whole value, not part of a text:"
                        + " step outputs are filled in when the step runs and keep their type");
                return Optional.empty();
            }
        }
        return Optional.of(new TextTemplate(parts, line));
    }

    private Optional<Value> reference(String inside, int line, String what) {
        String body = inside.strip();
        Matcher parameter = PARAMETER.matcher(body);
        if (parameter.matches()) {
            return Optional.of(new ParameterReference(parameter.group(1), line));
        }
        Matcher output = OUTPUT.matcher(body);
        if (output.matches()) {
            return Optional.of(new OutputReference(output.group(1), output.group(2), line));
        }
        problems.add(line, what + ": '${" + inside + "}' is not a reference; write ${params.NAME} for a parameter"
                + " or ${steps.ID.OUTPUT} for a step's output ($${ for a literal '${')");
        return Optional.empty();
    }

    private static void flush(StringBuilder literal, List<Value> parts, int line) {
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString(), line));
            literal.setLength(0);
        }
    }
}
