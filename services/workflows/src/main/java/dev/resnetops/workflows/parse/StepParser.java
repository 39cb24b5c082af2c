package dev.resnetops.workflows.parse;

import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.EvaluateStep;
import dev.resnetops.workflows.definition.ExportStep;
import dev.resnetops.workflows.definition.FanOutStep;
import dev.resnetops.workflows.definition.IngestStep;
import dev.resnetops.workflows.definition.PromoteCondition;
import dev.resnetops.workflows.definition.PromoteStep;
import dev.resnetops.workflows.definition.StepDefinition;
import dev.resnetops.workflows.definition.StepKind;
import dev.resnetops.workflows.definition.StepLink;
import dev.resnetops.workflows.definition.TrainSpec;
import dev.resnetops.workflows.definition.TrainStep;
import dev.resnetops.workflows.definition.Value;
import dev.resnetops.workflows.yaml.YamlEntry;
import dev.resnetops.workflows.yaml.YamlMap;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads one entry of {@code steps:}: the common fields, then the fields of its kind. */
final class StepParser {

    /** What came of one step: its id if it had a usable one, and the step if nothing essential was missing. */
    record Parsed(Optional<String> id, Optional<StepDefinition> step) {
    }

    private final Problems problems;
    private final NodeReader nodes;
    private final ValueParser values;
    private final TrainSpecParser trainSpecs;
    private final SearchSpaceParser spaces;

    StepParser(Problems problems) {
        this.problems = problems;
        this.nodes = new NodeReader(problems);
        this.values = new ValueParser(problems);
        this.trainSpecs = new TrainSpecParser(problems);
        this.spaces = new SearchSpaceParser(problems);
    }

    Parsed parse(YamlMap map, int position) {
        Optional<YamlEntry> idEntry = map.entry("id");
        Optional<StepLink> id = idEntry.flatMap(entry -> nodes.stepLink(entry.value(), "step " + position + ": id"));
        String where = id.map(link -> "step '" + link.id() + "'").orElse("step " + position);
        int line = idEntry.map(YamlEntry::keyLine).orElse(map.line());

        MappingFields fields = new MappingFields(map, where, problems);
        fields.required("id");
        Optional<StepKind> kind = fields.required("kind").flatMap(entry -> kind(entry, where));
        List<StepLink> needs = fields.optional("needs")
                .map(entry -> nodes.stepLinks(entry.value(), where + ": needs")).orElse(List.of());
        Optional<StepDefinition> step = Optional.empty();
        // Without a known kind its fields cannot be judged; the unknown kind is the one problem to report.
        if (kind.isPresent()) {
            step = kindFields(kind.get(), fields, id.map(StepLink::id).orElse("?"), line, needs, where);
            fields.rejectUnknown();
        }
        return new Parsed(id.map(StepLink::id), id.isPresent() ? step : Optional.empty());
    }

    private Optional<StepKind> kind(YamlEntry entry, String where) {
        Optional<String> key = nodes.text(entry.value(), where + ": kind");
        Optional<StepKind> kind = key.flatMap(StepKind::fromKey);
        if (key.isPresent() && kind.isEmpty()) {
            problems.add(entry.value().line(), where + ": unknown step kind '" + key.get() + "' (kinds: "
                    + Arrays.stream(StepKind.values()).map(StepKind::key).collect(Collectors.joining(", ")) + ")");
        }
        return kind;
    }

    private Optional<StepDefinition> kindFields(StepKind kind, MappingFields fields, String id, int line,
                                                List<StepLink> needs, String where) {
        switch (kind) {
            case INGEST: {
                Optional<Value> name = requiredValue(fields, "name", where);
                Optional<Value> source = requiredValue(fields, "source", where);
                return name.isPresent() && source.isPresent()
                        ? Optional.of(new IngestStep(id, line, needs, name.get(), source.get())) : Optional.empty();
            }
            case TRAIN:
                return Optional.of(new TrainStep(id, line, needs, trainSpecs.parse(fields, where)));
            case EVALUATE:
                return of(fields, where).map(of -> new EvaluateStep(id, line, needs, of));
            case EXPORT:
                return of(fields, where).map(of -> new ExportStep(id, line, needs, of));
            case PROMOTE:
                return promote(fields, id, line, needs, where);
            case FAN_OUT:
                return fanOut(fields, id, line, needs, where);
            default:
                throw new IllegalStateException("no parser for step kind " + kind);
        }
    }

    private Optional<Value> requiredValue(MappingFields fields, String key, String where) {
        return fields.required(key).flatMap(entry -> values.parse(entry.value(), where + ": " + key));
    }

    private Optional<StepLink> of(MappingFields fields, String where) {
        return fields.required("of").flatMap(entry -> nodes.stepLink(entry.value(), where + ": of"));
    }

    private Optional<StepDefinition> promote(MappingFields fields, String id, int line, List<StepLink> needs,
                                             String where) {
        Optional<YamlEntry> candidatesEntry = fields.required("candidates");
        List<StepLink> candidates = candidatesEntry
                .map(entry -> nodes.stepLinks(entry.value(), where + ": candidates")).orElse(List.of());
        candidatesEntry.filter(entry -> candidates.isEmpty())
                .ifPresent(entry -> problems.add(entry.keyLine(), where + ": candidates must name at least one step"));
        Optional<PromoteCondition> condition = fields.required("condition").flatMap(entry -> condition(entry, where));
        Optional<YamlEntry> minEntry = fields.optional("min-improvement");
        Optional<Value> minImprovement = minEntry.flatMap(entry -> values.parse(entry.value(), where + ": min-improvement"));
        if (minEntry.isPresent() && condition.isPresent() && condition.get() != PromoteCondition.BEATS_CHAMPION) {
            problems.add(minEntry.get().keyLine(), where + ": min-improvement applies to condition 'beats-champion' only");
        }
        Optional<Value> alias = fields.optional("alias").flatMap(entry -> values.parse(entry.value(), where + ": alias"));
        if (candidates.isEmpty() || condition.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PromoteStep(id, line, needs, candidates, condition.get(), minImprovement, alias));
    }

    private Optional<PromoteCondition> condition(YamlEntry entry, String where) {
        Optional<String> key = nodes.text(entry.value(), where + ": condition");
        Optional<PromoteCondition> condition = key.flatMap(PromoteCondition::fromKey);
        if (key.isPresent() && condition.isEmpty()) {
            problems.add(entry.value().line(), where + ": unknown condition '" + key.get() + "' (conditions: "
                    + Arrays.stream(PromoteCondition.values()).map(PromoteCondition::key).collect(Collectors.joining(", "))
                    + ")");
        }
        return condition;
    }

    private Optional<StepDefinition> fanOut(MappingFields fields, String id, int line, List<StepLink> needs,
                                            String where) {
        Optional<TrainSpec> template = fields.required("template")
                .flatMap(entry -> nodes.map(entry, where + ": template"))
                .map(map -> {
                    MappingFields templateFields = new MappingFields(map, where + ": template", problems);
                    TrainSpec spec = trainSpecs.parse(templateFields, where + ": template");
                    templateFields.rejectUnknown();
                    return spec;
                });
        return spaces.parse(fields, line, where)
                .flatMap(space -> template.map(spec -> new FanOutStep(id, line, needs, spec, space)));
    }
}
