package dev.resnetops.workflows.parse;

import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.EvaluateStep;
import dev.resnetops.workflows.definition.ExportStep;
import dev.resnetops.workflows.definition.FanOutStep;
import dev.resnetops.workflows.definition.PromoteStep;
import dev.resnetops.workflows.definition.ResultDefinition;
import dev.resnetops.workflows.definition.ResultRowDefinition;
import dev.resnetops.workflows.definition.StepDefinition;
import dev.resnetops.workflows.definition.StepKind;
import dev.resnetops.workflows.definition.StepLink;
import dev.resnetops.workflows.definition.TrainSpec;
import dev.resnetops.workflows.definition.TrainStep;
import dev.resnetops.workflows.definition.ValueType;
import dev.resnetops.workflows.definition.WorkflowDefinition;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks that need the whole definition: every step, parameter and output named exists and has a
 * fitting kind and type, no step waits for itself through a cycle, every train step has a dataset,
 * and the result table names trained steps.
 */
final class DefinitionChecker {

    private final Problems problems;
    private final WorkflowDefinition definition;
    private final Set<String> unparsed;
    private final Map<String, StepDefinition> steps = new LinkedHashMap<>();
    private final ValueChecker values;

    /** @param unparsed ids of steps that had problems of their own: names of them are not reported again */
    DefinitionChecker(Problems problems, WorkflowDefinition definition, Set<String> unparsed) {
        this.problems = problems;
        this.definition = definition;
        this.unparsed = unparsed;
        definition.steps().forEach(step -> steps.putIfAbsent(step.id(), step));
        this.values = new ValueChecker(problems, definition, steps, unparsed);
    }

    void check() {
        checkUniqueIds();
        for (StepDefinition step : definition.steps()) {
            String where = "step '" + step.id() + "'";
            step.needs().forEach(link -> existing(link, where + ": needs", EnumSet.allOf(StepKind.class), step));
            checkKindLinks(step, where);
            step.values().forEach(site -> values.check(site, where, step));
        }
        definition.limits().values().forEach(site -> values.check(site, "limits", null));
        checkDatasets();
        checkCycles();
        definition.result().ifPresent(this::checkResult);
    }

    private void checkUniqueIds() {
        Set<String> seen = new HashSet<>();
        for (StepDefinition step : definition.steps()) {
            if (!seen.add(step.id())) {
                problems.add(step.line(), "step id '" + step.id() + "' is used by an earlier step too; ids must be unique");
            }
        }
    }

    private void checkKindLinks(StepDefinition step, String where) {
        if (step instanceof EvaluateStep evaluate) {
            existing(evaluate.of(), where + ": of", EnumSet.of(StepKind.TRAIN), step);
        } else if (step instanceof ExportStep export) {
            existing(export.of(), where + ": of", EnumSet.of(StepKind.TRAIN), step);
        } else if (step instanceof PromoteStep promote) {
            promote.candidates().forEach(link ->
                    existing(link, where + ": candidates", EnumSet.of(StepKind.TRAIN, StepKind.FAN_OUT), step));
        } else if (step instanceof TrainStep train) {
            train.spec().extendsStep().ifPresent(link -> existing(link, where + ": extends", EnumSet.of(StepKind.TRAIN), step));
        } else if (step instanceof FanOutStep fanOut) {
            fanOut.template().extendsStep()
                    .ifPresent(link -> existing(link, where + ": template.extends", EnumSet.of(StepKind.TRAIN), step));
        }
    }

    /** Reports a link to a missing step, to the step itself, or to a step of a kind not allowed there. */
    private Optional<StepDefinition> existing(StepLink link, String what, Set<StepKind> kinds, StepDefinition from) {
        if (unparsed.contains(link.id())) {
            return Optional.empty();
        }
        StepDefinition target = steps.get(link.id());
        if (target == null) {
            problems.add(link.line(), what + ": there is no step '" + link.id() + "' (steps: "
                    + String.join(", ", steps.keySet()) + ")");
            return Optional.empty();
        }
        if (from != null && target.id().equals(from.id())) {
            problems.add(link.line(), what + ": a step cannot name itself");
            return Optional.empty();
        }
        if (!kinds.contains(target.kind())) {
            problems.add(link.line(), what + ": '" + link.id() + "' is " + article(target.kind()) + " step; expected "
                    + (kinds.size() == 1 ? "a " : "one of ") + kinds.stream().map(StepKind::key).toList());
            return Optional.empty();
        }
        return Optional.of(target);
    }

    static String article(StepKind kind) {
        return (kind == StepKind.INGEST || kind == StepKind.EVALUATE || kind == StepKind.EXPORT ? "an " : "a ") + kind;
    }

    /** Every train step and fan-out template has a dataset, of its own or through {@code extends}. */
    private void checkDatasets() {
        for (StepDefinition step : definition.steps()) {
            Optional<TrainSpec> spec = step instanceof TrainStep train ? Optional.of(train.spec())
                    : step instanceof FanOutStep fanOut ? Optional.of(fanOut.template()) : Optional.empty();
            if (spec.isPresent() && !hasDataset(spec.get(), new HashSet<>())) {
                problems.add(step.line(), "step '" + step.id() + "': no dataset: set 'dataset' (a dataset id or name,"
                        + " or ${steps.ID.dataset} of an ingest step) or extend a train step that has one");
            }
        }
    }

    private boolean hasDataset(TrainSpec spec, Set<String> visited) {
        if (spec.dataset().isPresent()) {
            return true;
        }
        Optional<StepLink> parent = spec.extendsStep();
        if (parent.isEmpty()) {
            return false;
        }
        if (!visited.add(parent.get().id()) || unparsed.contains(parent.get().id())) {
            return true; // a cycle is reported on its own; an unparsed parent already has its problem
        }
        StepDefinition target = steps.get(parent.get().id());
        return !(target instanceof TrainStep train) || hasDataset(train.spec(), visited);
    }

    private void checkCycles() {
        Map<String, List<String>> waitsFor = new LinkedHashMap<>();
        Map<String, List<String>> extendsEdges = new LinkedHashMap<>();
        for (StepDefinition step : steps.values()) {
            waitsFor.put(step.id(), step.dependencies().stream().map(StepLink::id).filter(steps::containsKey).toList());
            if (step instanceof TrainStep train) {
                extendsEdges.put(step.id(), train.spec().extendsStep().map(StepLink::id).stream().toList());
            }
        }
        for (List<String> cycle : CycleFinder.cycles(waitsFor)) {
            problems.add(steps.get(cycle.get(0)).line(), "steps wait for each other in a cycle: "
                    + String.join(" -> ", cycle) + " (through needs, of, candidates or ${steps...} references)");
        }
        for (List<String> cycle : CycleFinder.cycles(extendsEdges)) {
            if (steps.containsKey(cycle.get(0))) {
                problems.add(steps.get(cycle.get(0)).line(), "train steps extend each other in a cycle: "
                        + String.join(" -> ", cycle));
            }
        }
    }

    private void checkResult(ResultDefinition result) {
        Set<String> rowSteps = new HashSet<>();
        for (ResultRowDefinition row : result.rows()) {
            existing(row.step(), "result: rows", EnumSet.of(StepKind.TRAIN, StepKind.FAN_OUT), null);
            if (!rowSteps.add(row.step().id())) {
                problems.add(row.step().line(), "result: rows: '" + row.step().id() + "' is listed twice");
            }
        }
        result.baseline().ifPresent(baseline -> {
            Optional<StepDefinition> target = existing(baseline, "result: baseline", EnumSet.of(StepKind.TRAIN), null);
            if (target.isPresent() && !rowSteps.contains(baseline.id())) {
                problems.add(baseline.line(), "result: baseline '" + baseline.id() + "' must be one of the rows");
            }
        });
        Map<String, ValueType> metrics = StepKind.EVALUATE.outputs();
        for (String column : result.columns()) {
            if (metrics.get(column) != ValueType.NUMBER) {
                problems.add(result.line(), "result: columns: '" + column + "' is not a test metric (metrics: "
                        + String.join(", ", metrics.entrySet().stream()
                        .filter(e -> e.getValue() == ValueType.NUMBER).map(Map.Entry::getKey).toList()) + ")");
            }
        }
    }
}
