package dev.resnetops.workflows.parse;

import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.StepLink;
import dev.resnetops.workflows.yaml.YamlEntry;
import dev.resnetops.workflows.yaml.YamlList;
import dev.resnetops.workflows.yaml.YamlMap;
import dev.resnetops.workflows.yaml.YamlNode;
import dev.resnetops.workflows.yaml.YamlScalar;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the structural parts of a definition (mappings, lists, names, step ids), reporting a wrong
 * shape as "X must be a Y, found Z" at the value's line.
 */
final class NodeReader {

    /** No dots (references use them), brackets or slashes (plan keys of fan-out points use them). */
    static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final Problems problems;

    NodeReader(Problems problems) {
        this.problems = problems;
    }

    Optional<YamlMap> map(YamlEntry entry, String what) {
        return map(entry.value(), what);
    }

    Optional<YamlMap> map(YamlNode node, String what) {
        if (node instanceof YamlMap map) {
            return Optional.of(map);
        }
        problems.add(node.line(), what + " must be a mapping of fields, found " + node.describe());
        return Optional.empty();
    }

    Optional<YamlList> list(YamlEntry entry, String what) {
        if (entry.value() instanceof YamlList list) {
            return Optional.of(list);
        }
        problems.add(entry.value().line(), what + " must be a list, found " + entry.value().describe());
        return Optional.empty();
    }

    /** A plain string written out (no references): names, kinds, conditions, labels. */
    Optional<String> text(YamlNode node, String what) {
        if (node instanceof YamlScalar scalar && scalar.value() instanceof String text && !text.isBlank()) {
            if (text.contains("${")) {
                problems.add(node.line(), what + " cannot use references, found '" + text + "'");
                return Optional.empty();
            }
            return Optional.of(text.strip());
        }
        problems.add(node.line(), what + " must be a non-empty string, found " + node.describe());
        return Optional.empty();
    }

    Optional<Boolean> bool(YamlNode node, String what) {
        if (node instanceof YamlScalar scalar && scalar.value() instanceof Boolean value) {
            return Optional.of(value);
        }
        problems.add(node.line(), what + " must be true or false, found " + node.describe());
        return Optional.empty();
    }

    Optional<StepLink> stepLink(YamlNode node, String what) {
        Optional<String> id = text(node, what);
        if (id.isPresent() && !STEP_ID.matcher(id.get()).matches()) {
            problems.add(node.line(), what + ": '" + id.get() + "' is not a step id");
            return Optional.empty();
        }
        return id.map(value -> new StepLink(value, node.line()));
    }

    /** Step ids as a list, or one id alone ({@code needs: train} reads as {@code needs: [train]}). */
    List<StepLink> stepLinks(YamlNode node, String what) {
        List<StepLink> links = new ArrayList<>();
        List<YamlNode> items = node instanceof YamlList list ? list.items() : List.of(node);
        for (YamlNode item : items) {
            stepLink(item, what).ifPresent(links::add);
        }
        return links;
    }
}
