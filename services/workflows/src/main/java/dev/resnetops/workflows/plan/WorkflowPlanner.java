package dev.resnetops.workflows.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.EvaluateStep;
import dev.resnetops.workflows.definition.ExportStep;
import dev.resnetops.workflows.definition.FanOutStep;
import dev.resnetops.workflows.definition.IngestStep;
import dev.resnetops.workflows.definition.PromoteCondition;
import dev.resnetops.workflows.definition.PromoteStep;
import dev.resnetops.workflows.definition.ResultDefinition;
import dev.resnetops.workflows.definition.ResultRowDefinition;
import dev.resnetops.workflows.definition.StepDefinition;
import dev.resnetops.workflows.definition.StepKind;
import dev.resnetops.workflows.definition.StepLink;
import dev.resnetops.workflows.definition.TrainSpec;
import dev.resnetops.workflows.definition.TrainStep;
import dev.resnetops.workflows.definition.Value;
import dev.resnetops.workflows.definition.ValueType;
import dev.resnetops.workflows.definition.Values;
import dev.resnetops.workflows.definition.WorkflowDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds a checked definition to a request's parameters and produces the run's concrete steps: fan-outs
 * expanded into one train step per point, every training configuration complete and validated, an
 * evaluate step added for each trained step a promotion or the result table needs numbers of and that
 * has none, and dependencies as step keys.
 */
public final class WorkflowPlanner {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final WorkflowDefinition definition;
    private final Map<String, Object> parameters;
    private final Problems problems;
    private final ValueResolver values;
    private final TrainingConfigResolver configs;
    private final Map<String, StepDefinition> steps = new LinkedHashMap<>();
    private final Map<String, List<FanOutPoint>> points = new HashMap<>();
    /** Train key -> key of the step that evaluates it (written or added). */
    private final Map<String, String> evaluations = new HashMap<>();
    private final Set<String> addedEvaluations = new LinkedHashSet<>();
    private final List<PlannedStep> planned = new ArrayList<>();

    private WorkflowPlanner(WorkflowDefinition definition, Map<String, Object> parameters, Problems problems) {
        this.definition = definition;
        this.parameters = parameters;
        this.problems = problems;
        this.values = new ValueResolver(parameters);
        definition.steps().forEach(step -> steps.put(step.id(), step));
        this.configs = new TrainingConfigResolver(steps, values);
    }

    /**
     * @param overrides parameter values from the request (JSON-decoded: String, Integer/Long, Double,
     *                  Boolean, BigDecimal...); absent parameters take their defaults
     * @throws dev.resnetops.workflows.InvalidWorkflowException naming every problem at its line: unknown or
     *         mistyped overrides, training configurations TrainingConfig refuses, exceeded limits
     */
    public static WorkflowPlan plan(WorkflowDefinition definition, Map<String, ?> overrides) {
        Problems problems = new Problems(definition.file());
        Map<String, Object> parameters = ParameterBinder.bind(definition, overrides, problems);
        problems.throwIfAny();
        return new WorkflowPlanner(definition, parameters, problems).build();
    }

    private WorkflowPlan build() {
        for (StepDefinition step : definition.steps()) {
            if (step instanceof FanOutStep fanOut) {
                points.put(step.id(), new FanOutExpander(values, problems).expand(fanOut));
            }
        }
        findEvaluations();
        for (StepDefinition step : definition.steps()) {
            planStep(step);
        }
        PlanLimits limits = limits();
        Optional<ResultSpec> result = definition.result().map(this::result);
        problems.throwIfAny();
        return new WorkflowPlan(definition.name(), parameters, TopologicalOrder.sort(planned), limits, result.orElse(null));
    }

    /** Written evaluate steps first; then an added one for each trained step whose numbers are needed. */
    private void findEvaluations() {
        for (StepDefinition step : definition.steps()) {
            if (step instanceof EvaluateStep evaluate) {
                evaluations.putIfAbsent(evaluate.of().id(), evaluate.id());
            }
        }
        List<StepLink> needNumbers = new ArrayList<>();
        definition.steps().stream().filter(step -> step instanceof PromoteStep)
                .forEach(step -> needNumbers.addAll(((PromoteStep) step).candidates()));
        definition.result().ifPresent(result -> result.rows().forEach(row -> needNumbers.add(row.step())));
        for (StepLink link : needNumbers) {
            for (String trainKey : trainKeys(link.id())) {
                if (!evaluations.containsKey(trainKey)) {
                    evaluations.put(trainKey, trainKey + "/evaluate");
                    addedEvaluations.add(trainKey);
                }
            }
        }
    }

    private void planStep(StepDefinition step) {
        List<String> dependsOn = dependencies(step);
        if (step instanceof IngestStep ingest) {
            ObjectNode inputs = JSON.objectNode();
            inputs.set("name", values.resolve(ingest.name(), ValueType.STRING));
            inputs.set("source", values.resolve(ingest.source(), ValueType.STRING));
            add(new PlannedStep(step.id(), StepKind.INGEST, dependsOn, inputs, step.id()));
        } else if (step instanceof TrainStep train) {
            planTraining(step.id(), train.spec(), Map.of(), step, dependsOn);
        } else if (step instanceof FanOutStep fanOut) {
            for (FanOutPoint point : points.get(step.id())) {
                planTraining(point.key(), fanOut.template(), point.fields(), step, dependsOn);
            }
        } else if (step instanceof EvaluateStep evaluate) {
            add(new PlannedStep(step.id(), StepKind.EVALUATE, dependsOn, trainInput(evaluate.of().id()), step.id()));
        } else if (step instanceof ExportStep export) {
            add(new PlannedStep(step.id(), StepKind.EXPORT, dependsOn, trainInput(export.of().id()), step.id()));
        } else if (step instanceof PromoteStep promote) {
            add(new PlannedStep(step.id(), StepKind.PROMOTE, dependsOn, promoteInputs(promote), step.id()));
        }
    }

    private void planTraining(String key, TrainSpec spec, Map<String, TrainingSettings.Setting> point,
                              StepDefinition step, List<String> dependsOn) {
        TrainingSettings settings = configs.settings(spec).with(point);
        Optional<JsonNode> config = configs.validate(settings, key, step.line(), problems);
        ObjectNode inputs = JSON.objectNode();
        inputs.set("dataset", settings.dataset());
        if (settings.experiment() != null) {
            inputs.set("experiment", settings.experiment());
        }
        inputs.set("config", config.orElse(JSON.objectNode()));
        if (!point.isEmpty()) {
            ObjectNode pointNode = inputs.putObject("point");
            point.forEach((field, setting) -> pointNode.set(field, setting.value()));
        }
        add(new PlannedStep(key, StepKind.TRAIN, dependsOn, inputs, step.id()));
        if (addedEvaluations.contains(key)) {
            add(new PlannedStep(key + "/evaluate", StepKind.EVALUATE, List.of(key), trainInput(key), step.id()));
        }
    }

    private ObjectNode trainInput(String trainKey) {
        ObjectNode inputs = JSON.objectNode();
        inputs.put("train", trainKey);
        return inputs;
    }

    private ObjectNode promoteInputs(PromoteStep promote) {
        ObjectNode inputs = JSON.objectNode();
        ArrayNode candidates = inputs.putArray("candidates");
        for (StepLink link : promote.candidates()) {
            for (String trainKey : trainKeys(link.id())) {
                candidates.addObject().put("train", trainKey).put("evaluate", evaluations.get(trainKey));
            }
        }
        inputs.put("condition", promote.condition().key());
        if (promote.condition() == PromoteCondition.BEATS_CHAMPION) {
            double margin = promote.minImprovement().map(value -> values.resolve(value, ValueType.NUMBER).doubleValue())
                    .orElse(0.0);
            if (!(margin >= 0 && margin < 1)) {
                problems.add(promote.minImprovement().map(Value::line).orElse(promote.line()), "step '" + promote.id()
                        + "': min-improvement is a Top-1 margin as a fraction in [0, 1), found " + margin);
            }
            inputs.put("minImprovement", margin);
        }
        inputs.set("alias", promote.alias().map(value -> values.resolve(value, ValueType.STRING))
                .orElse(JSON.textNode(PromoteStep.DEFAULT_ALIAS)));
        return inputs;
    }

    /** Keys this step waits for: needs (a fan-out stands for its points), of, candidates' evaluations, outputs read. */
    private List<String> dependencies(StepDefinition step) {
        Set<String> keys = new LinkedHashSet<>();
        step.needs().forEach(link -> keys.addAll(trainKeysOrId(link.id())));
        if (step instanceof EvaluateStep evaluate) {
            keys.add(evaluate.of().id());
        } else if (step instanceof ExportStep export) {
            keys.add(export.of().id());
        } else if (step instanceof PromoteStep promote) {
            promote.candidates().forEach(link -> trainKeys(link.id()).forEach(key -> keys.add(evaluations.get(key))));
        }
        step.values().forEach(site -> Values.outputReferences(site.value()).forEach(ref -> keys.add(ref.step())));
        return new ArrayList<>(keys);
    }

    /** The train keys a train step or fan-out id stands for. */
    private List<String> trainKeys(String id) {
        StepDefinition step = steps.get(id);
        if (step instanceof FanOutStep) {
            return points.getOrDefault(id, List.of()).stream().map(FanOutPoint::key).toList();
        }
        return List.of(id);
    }

    private List<String> trainKeysOrId(String id) {
        return steps.get(id) instanceof FanOutStep ? trainKeys(id) : List.of(id);
    }

    private PlanLimits limits() {
        Integer maxTrainings = definition.limits().maxTrainings().map(this::positive).orElse(null);
        Integer maxParallel = definition.limits().maxParallel().map(this::positive).orElse(null);
        long trainings = planned.stream().filter(step -> step.kind() == StepKind.TRAIN).count();
        if (maxTrainings != null && maxTrainings > 0 && trainings > maxTrainings) {
            problems.add(definition.limits().line(), "the run would start " + trainings + " trainings, more than"
                    + " limits.max-trainings (" + maxTrainings + ")");
        }
        return new PlanLimits(maxTrainings, maxParallel);
    }

    private Integer positive(Value value) {
        long n = values.resolve(value, ValueType.INT).longValue();
        if (n < 1 || n > Integer.MAX_VALUE) {
            problems.add(value.line(), "limits must be at least 1, found " + n);
            return 0;
        }
        return (int) n;
    }

    private ResultSpec result(ResultDefinition result) {
        List<ResultRowSpec> rows = new ArrayList<>();
        String baseline = null;
        for (ResultRowDefinition row : result.rows()) {
            boolean fanOut = steps.get(row.step().id()) instanceof FanOutStep;
            for (String trainKey : trainKeys(row.step().id())) {
                String label = fanOut ? trainKey : row.label().orElse(trainKey);
                rows.add(new ResultRowSpec(label, trainKey, evaluations.get(trainKey)));
                if (result.baseline().filter(link -> link.id().equals(trainKey)).isPresent()) {
                    baseline = label;
                }
            }
        }
        return new ResultSpec(result.columns(), baseline, rows);
    }

    private void add(PlannedStep step) {
        planned.add(step);
    }
}
