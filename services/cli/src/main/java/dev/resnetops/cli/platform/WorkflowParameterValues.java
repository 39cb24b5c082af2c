package dev.resnetops.cli.platform;

import dev.resnetops.contracts.api.WorkflowParameterView;
import dev.resnetops.contracts.api.WorkflowSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns {@code --set name=value} texts into the typed values the API expects, by the types the
 * workflow declares ({@code GET /workflows}): the server refuses {@code "3"} for an int, and a shell
 * only has text. Every bad entry is reported at once, before anything is sent.
 */
final class WorkflowParameterValues {

    private WorkflowParameterValues() {
    }

    static Map<String, Object> convert(WorkflowSummary workflow, List<String> assignments) {
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                problems.add("--set " + assignment + ": expected NAME=VALUE");
                continue;
            }
            String name = assignment.substring(0, equals).strip();
            String text = assignment.substring(equals + 1);
            Optional<WorkflowParameterView> parameter = workflow.parameters().stream()
                    .filter(p -> p.name().equals(name)).findFirst();
            if (parameter.isEmpty()) {
                List<String> names = workflow.parameters().stream().map(WorkflowParameterView::name).toList();
                problems.add("--set " + name + ": " + workflow.name() + " has no such parameter (parameters: "
                        + String.join(", ", names) + ")");
                continue;
            }
            try {
                values.put(name, typed(parameter.get().type(), text.strip()));
            } catch (IllegalArgumentException e) {
                problems.add("--set " + name + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return values;
    }

    private static Object typed(String type, String text) {
        switch (type) {
            case "int":
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected an int, found '" + text + "'");
                }
            case "number":
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected a number, found '" + text + "'");
                }
            case "bool":
                String lower = text.toLowerCase(Locale.ROOT);
                if (!lower.equals("true") && !lower.equals("false")) {
                    throw new IllegalArgumentException("expected true or false, found '" + text + "'");
                }
                return Boolean.parseBoolean(lower);
            default:
                return text;
        }
    }
}
