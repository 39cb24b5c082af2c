package dev.resnetops.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.resnetops.workflows.definition.WorkflowDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each class of bad workflow is refused before anything runs, with the file, the line and the problem. */
class RejectedWorkflowsTest {

    @Test
    void unknownStepKindIsNamedWithTheKinds() {
        List<String> problems = parseProblems("""
                name: bad
                steps:
                  - id: train
                    kind: trian
                    dataset: d
                """);

        assertThat(problems).containsExactly("bad.yaml:4: step 'train': unknown step kind 'trian'"
                + " (kinds: ingest, train, evaluate, export, promote, fan-out)");
    }

    @Test
    void cycleIsNamedStepByStep() {
        List<String> problems = parseProblems("""
                name: bad
                steps:
                  - id: a
                    kind: train
                    dataset: d
                    needs: [c]
                  - id: b
                    kind: train
                    dataset: d
                    needs: a
                  - id: c
                    kind: evaluate
                    of: b
                """);

        assertThat(problems).containsExactly("bad.yaml:3: steps wait for each other in a cycle: a -> c -> b -> a"
                + " (through needs, of, candidates or ${steps...} references)");
    }

    @Test
    void referencesToMissingStepsAreEachReportedAtTheirLine() {
        List<String> problems = parseProblems("""
                name: bad
                steps:
                  - id: train
                    kind: train
                    dataset: ${steps.ingest.dataset}
                  - id: evaluate
                    kind: evaluate
                    of: trian
                  - id: promote
                    kind: promote
                    candidates: [train, sweep]
                    condition: best-top1
                    needs: [export]
                """);

        assertThat(problems).containsExactly(
                "bad.yaml:5: step 'train': dataset: ${steps.ingest.dataset} names no step (steps: train, evaluate, promote)",
                "bad.yaml:8: step 'evaluate': of: there is no step 'trian' (steps: train, evaluate, promote)",
                "bad.yaml:11: step 'promote': candidates: there is no step 'sweep' (steps: train, evaluate, promote)",
                "bad.yaml:13: step 'promote': needs: there is no step 'export' (steps: train, evaluate, promote)");
    }

    @Test
    void referenceToAMissingParameterListsTheParameters() {
        List<String> problems = parseProblems("""
                name: bad
                parameters:
                  epochs: {type: int, default: 2}
                steps:
                  - id: train
                    kind: train
                    dataset: d
                    config:
                      epochs: ${params.epoch}
                """);

        assertThat(problems).containsExactly(
                "bad.yaml:9: step 'train': config.epochs: ${params.epoch} names no parameter (parameters: epochs)");
    }

    @Test
    void wrongTypesAreNamedWithWhatWasExpectedAndFound() {
        List<String> problems = parseProblems("""
                name: bad
                parameters:
                  dataset: {type: string, default: fashion-mnist}
                  epochs: {type: int, default: "two"}
                steps:
                  - id: train
                    kind: train
                    dataset: ${steps.evaluate.top1}
                    config:
                      epochs: "3"
                      batchSize: ${params.dataset}
                      learningRate: 1
                  - id: evaluate
                    kind: evaluate
                    of: train
                """);

        assertThat(problems).containsExactly(
                "bad.yaml:4: parameter 'epochs': default must be an int, found string 'two'",
                // Reading an output of its own evaluation is a cycle as well as a type error.
                "bad.yaml:6: steps wait for each other in a cycle: train -> evaluate -> train"
                        + " (through needs, of, candidates or ${steps...} references)",
                "bad.yaml:8: step 'train': dataset must be a string, found ${steps.evaluate.top1} (a number)",
                "bad.yaml:10: step 'train': config.epochs must be an int, found string '3'",
                "bad.yaml:11: step 'train': config.batchSize must be an int, found ${params.dataset} (a string)");
    }

    @Test
    void unknownTrainingFieldIsCaughtAtParseTimeAndBadValuesAtPlanTimeAtTheirLines() {
        List<String> unknown = parseProblems("""
                name: bad
                steps:
                  - id: train
                    kind: train
                    dataset: d
                    config:
                      labelSmothing: 0.1
                """);
        assertThat(unknown).singleElement().asString()
                .startsWith("bad.yaml:7: step 'train': config: 'labelSmothing' is not a training configuration field"
                        + " (fields: model, inputSize, epochs,");

        WorkflowDefinition definition = WorkflowDefinitions.parse("bad.yaml", """
                name: bad
                steps:
                  - id: base
                    kind: train
                    dataset: d
                    config:
                      labelSmoothing: 1.5
                      model: resnet51
                  - id: row
                    kind: train
                    extends: base
                    config:
                      schedule: linear
                """);
        List<String> problems = planProblems(definition, Map.of());
        // TrainingConfig reports a value it cannot read (the schedule) before range checks, hence one problem for 'row'.
        assertThat(problems).satisfiesExactly(
                first -> assertThat(first).isEqualTo(
                        "bad.yaml:7: step 'base': training configuration: labelSmoothing: must be in [0, 1), found 1.5"),
                second -> assertThat(second).isEqualTo("bad.yaml:8: step 'base': training configuration: model:"
                        + " unknown preset 'resnet51' (run 'mlops models' for the list)"),
                third -> assertThat(third).startsWith(
                        "bad.yaml:13: step 'row': training configuration: schedule: wrong type or value").contains("linear"));
    }

    @Test
    void unknownOverrideAndMistypedOverridePointAtTheParameters() {
        WorkflowDefinition definition = WorkflowDefinitions.parse("sweep.yaml", """
                name: sweep
                parameters:
                  epochs: {type: int, default: 2, min: 1}
                  lr: {type: number, default: 0.1}
                  precision: {type: string, default: auto, values: [auto, fp32, fp16]}
                  dataset: {type: string}
                steps:
                  - id: train
                    kind: train
                    dataset: ${params.dataset}
                    config:
                      epochs: ${params.epochs}
                      learningRate: ${params.lr}
                      precision: ${params.precision}
                """);

        List<String> problems = planProblems(definition,
                Map.of("epoch", 3, "lr", "0.1", "precision", "bf16", "epochs", 2.5));

        assertThat(problems).containsExactly(
                "sweep.yaml:2: the request sets 'epoch', which is not a parameter of sweep"
                        + " (parameters: epochs, lr, precision, dataset)",
                "sweep.yaml:3: parameter 'epochs' is an int; the request gave number 2.5",
                "sweep.yaml:4: parameter 'lr' is a number; the request gave the string '0.1'",
                "sweep.yaml:5: parameter 'precision' must be one of [auto, fp32, fp16], found bf16 (from the request)",
                "sweep.yaml:6: parameter 'dataset' has no default: the request must set it (string)");
    }

    @Test
    void everyProblemOfAFileIsReportedInLineOrderNotOnlyTheFirst() {
        List<String> problems = parseProblems("""
                name: Bad Name
                colour: blue
                steps:
                  - id: train
                    kind: train
                    dataset: d
                    epochs: 3
                  - id: train
                    kind: export
                  - kind: promote
                    candidates: train
                    condition: best-top5
                """);

        assertThat(problems).containsExactly(
                "bad.yaml:1: name: 'Bad Name' must be lower-case letters, digits, '-' or '_' (it is part of the URL"
                        + " /workflows/{name}/runs)",
                "bad.yaml:1: name: 'Bad Name' differs from the file name 'bad.yaml'; name the file Bad Name.yaml",
                "bad.yaml:2: the workflow: unknown field 'colour' (known fields: name, description, parameters, limits,"
                        + " steps, result)",
                "bad.yaml:7: step 'train': unknown field 'epochs' (known fields: id, kind, needs, dataset, experiment,"
                        + " extends, config)",
                "bad.yaml:8: step 'train': 'of' is required",
                "bad.yaml:10: step 3: 'id' is required",
                "bad.yaml:12: step 3: unknown condition 'best-top5' (conditions: best-top1, beats-champion)");
    }

    @Test
    void yamlSyntaxErrorsDuplicateKeysAndAliasesAreRefusedAtTheirLines() {
        assertThat(parseProblems("name: bad\nsteps:\n  - id: a\n   kind: train\n")).singleElement().asString()
                .startsWith("bad.yaml:4: not valid YAML: ");
        assertThat(parseProblems("""
                name: bad
                steps:
                  - id: a
                    kind: train
                    dataset: &d fashion-mnist
                  - id: b
                    kind: train
                    dataset: *d
                    dataset: mnist
                """)).containsExactly(
                "bad.yaml:8: YAML aliases (*d) are not supported: use a parameter, or 'extends' to share a training"
                        + " configuration",
                "bad.yaml:9: 'dataset' appears twice in the same mapping");
        assertThat(parseProblems("name: bad\nsteps: []\n---\nname: other\n")).containsExactly(
                "bad.yaml:4: a workflow file holds one YAML document; this one starts a second (---)");
    }

    @Test
    void stepOutputsCannotSetTrainingFieldsBecauseEveryConfigurationIsCheckedAtSubmission() {
        List<String> problems = parseProblems("""
                name: bad
                steps:
                  - id: first
                    kind: train
                    dataset: d
                  - id: export
                    kind: export
                    of: first
                  - id: second
                    kind: train
                    dataset: d
                    config:
                      seed: ${steps.export.version}
                """);

        assertThat(problems).containsExactly("bad.yaml:13: step 'second': config.seed: ${steps.export.version} cannot"
                + " be used here: step outputs are known only at run time, and this value must be known at submission"
                + " (use a parameter)");
    }

    @Test
    void stepsOfTheWrongKindExtendsCyclesAndMissingDatasetsAreRefused() {
        List<String> problems = parseProblems("""
                name: bad
                steps:
                  - id: a
                    kind: train
                    extends: b
                  - id: b
                    kind: train
                    extends: a
                  - id: export
                    kind: export
                    of: a
                  - id: evaluate
                    kind: evaluate
                    of: export
                  - id: promote
                    kind: promote
                    candidates: [a, export]
                    condition: best-top1
                    min-improvement: 0.01
                  - id: orphan
                    kind: train
                    config: {epochs: 1}
                """);

        assertThat(problems).containsExactly(
                "bad.yaml:3: train steps extend each other in a cycle: a -> b -> a",
                "bad.yaml:14: step 'evaluate': of: 'export' is an export step; expected a [train]",
                "bad.yaml:17: step 'promote': candidates: 'export' is an export step; expected one of [train, fan-out]",
                "bad.yaml:19: step 'promote': min-improvement applies to condition 'beats-champion' only",
                "bad.yaml:20: step 'orphan': no dataset: set 'dataset' (a dataset id or name, or ${steps.ID.dataset}"
                        + " of an ingest step) or extend a train step that has one");
    }

    @Test
    void aRunOverItsTrainingLimitIsRefused() {
        WorkflowDefinition definition = WorkflowDefinitions.parse("bad.yaml", """
                name: bad
                parameters:
                  max-trainings: {type: int, default: 3}
                limits:
                  max-trainings: ${params.max-trainings}
                steps:
                  - id: sweep
                    kind: fan-out
                    template: {dataset: d}
                    grid:
                      learningRate: [0.01, 0.1]
                      seed: [1, 2]
                """);

        assertThat(planProblems(definition, Map.of()))
                .containsExactly("bad.yaml:4: the run would start 4 trainings, more than limits.max-trainings (3)");
        assertThat(WorkflowDefinitions.plan(definition, Map.of("max-trainings", 4)).steps()).hasSize(4);
    }

    @Test
    void aNegativePromotionMarginIsRefusedAndAMissingOneIsZero() {
        String yaml = """
                name: bad
                steps:
                  - id: train
                    kind: train
                    dataset: d
                  - id: promote
                    kind: promote
                    candidates: [train]
                    condition: beats-champion
                    min-improvement: -0.01
                """;

        assertThat(planProblems(WorkflowDefinitions.parse("bad.yaml", yaml), Map.of())).containsExactly(
                "bad.yaml:10: step 'promote': min-improvement is a Top-1 margin as a fraction in [0, 1), found -0.01");
        assertThat(WorkflowDefinitions.plan(WorkflowDefinitions.parse("bad.yaml",
                yaml.replace("    min-improvement: -0.01\n", "")), Map.of()).step("promote").orElseThrow()
                .inputs().get("minImprovement").asDouble()).isZero();
    }

    @Test
    void aTrainStepThatSetsOnlyOneEpochIsPlannedWithAWarmupThatFitsIt() {
        WorkflowDefinition definition = WorkflowDefinitions.parse("one-epoch.yaml", """
                name: one-epoch
                steps:
                  - id: train
                    kind: train
                    dataset: d
                    config:
                      epochs: 1
                """);

        assertThat(WorkflowDefinitions.plan(definition, Map.of()).step("train").orElseThrow()
                .inputs().get("config").get("warmupEpochs").asDouble()).isEqualTo(0.5);
    }

    private static List<String> parseProblems(String yaml) {
        InvalidWorkflowException refused = catchThrowableOfType(InvalidWorkflowException.class,
                () -> WorkflowDefinitions.parse("bad.yaml", yaml));
        assertThat(refused).as("the workflow should have been refused").isNotNull();
        return refused.problems().stream().map(WorkflowProblem::toString).toList();
    }

    private static List<String> planProblems(WorkflowDefinition definition, Map<String, ?> overrides) {
        InvalidWorkflowException refused = catchThrowableOfType(InvalidWorkflowException.class,
                () -> WorkflowDefinitions.plan(definition, overrides));
        assertThat(refused).as("the plan should have been refused").isNotNull();
        return refused.problems().stream().map(WorkflowProblem::toString).toList();
    }
}
