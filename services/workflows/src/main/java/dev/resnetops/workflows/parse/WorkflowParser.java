package dev.resnetops.workflows.parse;

import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.Limits;
import dev.resnetops.workflows.definition.ParameterDefinition;
import dev.resnetops.workflows.definition.ResultDefinition;
import dev.resnetops.workflows.definition.ResultRowDefinition;
import dev.resnetops.workflows.definition.StepDefinition;
import dev.resnetops.workflows.definition.StepLink;
import dev.resnetops.workflows.definition.Value;
import dev.resnetops.workflows.definition.WorkflowDefinition;
import dev.resnetops.workflows.yaml.YamlEntry;
import dev.resnetops.workflows.yaml.YamlMap;
import dev.resnetops.workflows.yaml.YamlNode;
import dev.resnetops.workflows.yaml.YamlTreeReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * YAML text to a checked {@link WorkflowDefinition}, or every problem found. Reading goes on past
 * problems (a bad step does not hide the next one); the whole-definition checks then run on what could
 * be read, without repeating problems about steps that could not be.
 */
public final class WorkflowParser {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final List<String> DEFAULT_COLUMNS = List.of("top1", "top5");

    private final Problems problems;
    private final NodeReader nodes;
    private final ValueParser values;

    private WorkflowParser(Problems problems) {
        this.problems = problems;
        this.nodes = new NodeReader(problems);
        this.values = new ValueParser(problems);
    }

    /**
     * @param file the file name ({@code paper-ablation.yaml}); when it ends in .yaml or .yml the
     *             workflow's {@code name} must match the rest, so a file can be found by its workflow's name
     * @throws dev.resnetops.workflows.InvalidWorkflowException with every problem, each at its line
     */
    public static WorkflowDefinition parse(String file, String yaml) {
        Problems problems = new Problems(file);
        Optional<YamlNode> root = new YamlTreeReader(problems).read(yaml);
        problems.throwIfAny();
        WorkflowParser parser = new WorkflowParser(problems);
        Optional<YamlMap> map = parser.nodes.map(root.orElseThrow(), "a workflow");
        problems.throwIfAny();
        WorkflowDefinition definition = parser.definition(file, map.get());
        problems.throwIfAny();
        return definition;
    }

    private WorkflowDefinition definition(String file, YamlMap root) {
        MappingFields fields = new MappingFields(root, "the workflow", problems);
        String name = fields.required("name").flatMap(entry -> name(entry, file)).orElse("?");
        String description = fields.optional("description")
                .flatMap(entry -> nodes.text(entry.value(), "description")).orElse("");
        Optional<YamlEntry> parametersEntry = fields.optional("parameters");
        List<ParameterDefinition> parameters = parametersEntry.flatMap(entry -> nodes.map(entry, "parameters"))
                .map(map -> new ParameterParser(problems).parse(map)).orElse(List.of());
        Limits limits = fields.optional("limits").map(this::limits).orElse(Limits.none(root.line()));
        Set<String> unparsed = new HashSet<>();
        List<StepDefinition> steps = fields.required("steps").map(entry -> steps(entry, unparsed)).orElse(List.of());
        Optional<ResultDefinition> result = fields.optional("result").flatMap(this::result);
        fields.rejectUnknown();

        WorkflowDefinition definition = new WorkflowDefinition(file, name, description, parameters,
                parametersEntry.map(YamlEntry::keyLine).orElse(root.line()), limits, steps, result);
        new DefinitionChecker(problems, definition, unparsed).check();
        return definition;
    }

    private Optional<String> name(YamlEntry entry, String file) {
        Optional<String> name = nodes.text(entry.value(), "name");
        if (name.isEmpty()) {
            return name;
        }
        if (!NAME.matcher(name.get()).matches()) {
            problems.add(entry.value().line(), "name: '" + name.get() + "' must be lower-case letters, digits, '-'"
                    + " or '_' (it is part of the URL /workflows/{name}/runs)");
        }
        String base = file.replaceFirst("\\.ya?ml$", "");
        if (!base.equals(file) && !base.equals(name.get())) {
            problems.add(entry.value().line(), "name: '" + name.get() + "' differs from the file name '" + file
                    + "'; name the file " + name.get() + ".yaml");
        }
        return name;
    }

    private List<StepDefinition> steps(YamlEntry entry, Set<String> unparsed) {
        List<StepDefinition> steps = new ArrayList<>();
        nodes.list(entry, "steps").ifPresent(list -> {
            if (list.items().isEmpty()) {
                problems.add(entry.keyLine(), "steps: a workflow needs at least one step");
            }
            StepParser parser = new StepParser(problems);
            int position = 0;
            for (YamlNode item : list.items()) {
                position++;
                Optional<YamlMap> map = nodes.map(item, "step " + position);
                if (map.isEmpty()) {
                    continue;
                }
                StepParser.Parsed parsed = parser.parse(map.get(), position);
                parsed.step().ifPresentOrElse(steps::add, () -> parsed.id().ifPresent(unparsed::add));
            }
        });
        return steps;
    }

    private Limits limits(YamlEntry entry) {
        Optional<YamlMap> map = nodes.map(entry, "limits");
        if (map.isEmpty()) {
            return Limits.none(entry.keyLine());
        }
        MappingFields fields = new MappingFields(map.get(), "limits", problems);
        Optional<Value> maxTrainings = fields.optional("max-trainings")
                .flatMap(e -> values.parse(e.value(), "limits: max-trainings"));
        Optional<Value> maxParallel = fields.optional("max-parallel")
                .flatMap(e -> values.parse(e.value(), "limits: max-parallel"));
        fields.rejectUnknown();
        return new Limits(entry.keyLine(), maxTrainings, maxParallel);
    }

    private Optional<ResultDefinition> result(YamlEntry entry) {
        Optional<YamlMap> map = nodes.map(entry, "result");
        if (map.isEmpty()) {
            return Optional.empty();
        }
        MappingFields fields = new MappingFields(map.get(), "result", problems);
        List<ResultRowDefinition> rows = new ArrayList<>();
        fields.required("rows").flatMap(e -> nodes.list(e, "result: rows"))
                .ifPresent(list -> list.items().forEach(item -> row(item).ifPresent(rows::add)));
        List<String> columns = fields.optional("columns").flatMap(e -> nodes.list(e, "result: columns"))
                .map(list -> list.items().stream().flatMap(item -> nodes.text(item, "result: columns").stream()).toList())
                .orElse(DEFAULT_COLUMNS);
        Optional<StepLink> baseline = fields.optional("baseline")
                .flatMap(e -> nodes.stepLink(e.value(), "result: baseline"));
        fields.rejectUnknown();
        return Optional.of(new ResultDefinition(entry.keyLine(), rows, columns, baseline));
    }

    /** A row is a step id, or {@code {step: ID, label: TEXT}}. */
    private Optional<ResultRowDefinition> row(YamlNode item) {
        if (!(item instanceof YamlMap map)) {
            return nodes.stepLink(item, "result: rows").map(link -> new ResultRowDefinition(link, Optional.empty()));
        }
        MappingFields fields = new MappingFields(map, "result: rows", problems);
        Optional<StepLink> step = fields.required("step").flatMap(e -> nodes.stepLink(e.value(), "result: rows: step"));
        Optional<String> label = fields.optional("label").flatMap(e -> nodes.text(e.value(), "result: rows: label"));
        fields.rejectUnknown();
        return step.map(link -> new ResultRowDefinition(link, label));
    }

}
