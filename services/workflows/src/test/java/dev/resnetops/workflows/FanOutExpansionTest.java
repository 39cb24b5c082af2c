package dev.resnetops.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resnetops.workflows.definition.StepKind;
import dev.resnetops.workflows.definition.WorkflowDefinition;
import dev.resnetops.workflows.plan.PlannedStep;
import dev.resnetops.workflows.plan.WorkflowPlan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A fan-out becomes one train step per point, with keys that name the point. */
class FanOutExpansionTest {

    private static final String RANDOM = """
            name: search
            parameters:
              seed: {type: int, default: 7}
              samples: {type: int, default: 5}
            steps:
              - id: search
                kind: fan-out
                template:
                  dataset: d
                  config: {epochs: 3}
                random:
                  samples: ${params.samples}
                  seed: ${params.seed}
                  space:
                    learningRate: {min: 0.001, max: 0.5, log: true}
                    labelSmoothing: {min: 0.0, max: 0.2}
                    batchSize: {values: [32, 64, 128]}
                    epochs: {min: 2, max: 4}
            """;

    @Test
    void gridIsTheFullProductWithTheFirstFieldVaryingSlowest() {
        WorkflowPlan plan = plan("""
                name: grid
                parameters:
                  top-lr: {type: number, default: 0.4}
                steps:
                  - id: sweep
                    kind: fan-out
                    template:
                      dataset: d
                      config: {epochs: 2, model: resnet18-small}
                    grid:
                      learningRate: [0.1, "${params.top-lr}"]
                      schedule: [cosine, step]
                      seed: [1]
                """, Map.of());

        assertThat(trainKeys(plan)).containsExactly(
                "sweep[learningRate=0.1,schedule=cosine,seed=1]", "sweep[learningRate=0.1,schedule=step,seed=1]",
                "sweep[learningRate=0.4,schedule=cosine,seed=1]", "sweep[learningRate=0.4,schedule=step,seed=1]");
        JsonNode inputs = plan.step("sweep[learningRate=0.4,schedule=step,seed=1]").orElseThrow().inputs();
        assertThat(inputs.get("config").get("learningRate").asDouble()).isEqualTo(0.4);
        assertThat(inputs.get("config").get("schedule").asText()).isEqualTo("step");
        assertThat(inputs.get("config").get("model").asText()).isEqualTo("resnet18-small");
        assertThat(inputs.get("point").toString()).isEqualTo("{\"learningRate\":0.4,\"schedule\":\"step\",\"seed\":1}");
        assertThat(plan.step("sweep[learningRate=0.4,schedule=step,seed=1]").orElseThrow().origin()).isEqualTo("sweep");
    }

    @Test
    void randomSamplesAreTheSameForTheSameSeedAndStayInTheirSpace() {
        WorkflowDefinition definition = WorkflowDefinitions.parse("search.yaml", RANDOM);

        WorkflowPlan first = WorkflowDefinitions.plan(definition, Map.of());
        WorkflowPlan again = WorkflowDefinitions.plan(definition, Map.of());
        WorkflowPlan otherSeed = WorkflowDefinitions.plan(definition, Map.of("seed", 8));

        assertThat(trainKeys(first)).hasSize(5).isEqualTo(trainKeys(again)).doesNotContainAnyElementsOf(trainKeys(otherSeed));
        assertThat(trainKeys(first).get(0)).matches("search\\[#1,learningRate=[0-9.]+,labelSmoothing=[0-9.]+,"
                + "batchSize=(32|64|128),epochs=[234]]");
        for (String key : trainKeys(first)) {
            JsonNode config = first.step(key).orElseThrow().inputs().get("config");
            assertThat(config.get("learningRate").asDouble()).isBetween(0.001, 0.5);
            assertThat(config.get("labelSmoothing").asDouble()).isBetween(0.0, 0.2);
            assertThat(config.get("batchSize").asInt()).isIn(32, 64, 128);
            assertThat(config.get("epochs").asInt()).isBetween(2, 4);
            // The key shows the value trained, digit for digit.
            assertThat(key).contains("learningRate=" + config.get("learningRate").asText().replaceAll("\\.?0+$", ""));
        }
        assertThat(trainKeys(WorkflowDefinitions.plan(definition, Map.of("samples", 2)))).hasSize(2)
                .containsExactlyElementsOf(trainKeys(first).subList(0, 2));
    }

    @Test
    void randomRangesAndSampleCountsAreCheckedWithTheirLines() {
        WorkflowDefinition definition = WorkflowDefinitions.parse("search.yaml", RANDOM
                .replace("min: 0.001, max: 0.5", "min: 0.0, max: 0.5").replace("min: 2, max: 4", "min: 4, max: 2"));

        assertThatThrownBy(() -> WorkflowDefinitions.plan(definition, Map.of()))
                .isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("search.yaml:15: step 'search': random.space.learningRate: a log range needs min > 0, found 0")
                .hasMessageContaining("search.yaml:18: step 'search': random.space.epochs: min (4) is above max (2)");
        assertThatThrownBy(() -> WorkflowDefinitions.plan(WorkflowDefinitions.parse("search.yaml", RANDOM),
                Map.of("samples", 0)))
                .hasMessageContaining("search.yaml:12: step 'search': random.samples must be in [1, 1000], found 0");
    }

    @Test
    void aFanOutNamedInNeedsOrCandidatesStandsForAllItsPoints() {
        WorkflowPlan plan = plan("""
                name: grid
                steps:
                  - id: sweep
                    kind: fan-out
                    template: {dataset: d}
                    grid:
                      seed: [1, 2]
                  - id: after
                    kind: train
                    dataset: d
                    needs: [sweep]
                  - id: pick
                    kind: promote
                    candidates: sweep
                    condition: best-top1
                    alias: candidate
                """, Map.of());

        assertThat(plan.step("after").orElseThrow().dependsOn()).containsExactly("sweep[seed=1]", "sweep[seed=2]");
        PlannedStep pick = plan.step("pick").orElseThrow();
        assertThat(pick.dependsOn()).containsExactly("sweep[seed=1]/evaluate", "sweep[seed=2]/evaluate");
        assertThat(pick.inputs().get("alias").asText()).isEqualTo("candidate");
        assertThat(plan.steps()).extracting(PlannedStep::key).containsExactly("sweep[seed=1]", "sweep[seed=1]/evaluate",
                "sweep[seed=2]", "sweep[seed=2]/evaluate", "after", "pick");
    }

    @Test
    void eachPointIsValidatedByTrainingConfigAndNamedByItsKey() {
        WorkflowDefinition definition = WorkflowDefinitions.parse("grid.yaml", """
                name: grid
                steps:
                  - id: sweep
                    kind: fan-out
                    template: {dataset: d, config: {epochs: 2}}
                    grid:
                      warmupEpochs: [1, 2]
                """);

        assertThatThrownBy(() -> WorkflowDefinitions.plan(definition, Map.of()))
                .hasMessageContaining("grid.yaml:7: step 'sweep[warmupEpochs=2]': training configuration: warmupEpochs:"
                        + " must be >= 0 and less than epochs (2): set warmupEpochs below 2 (e.g. 1.0) or raise epochs, found 2.0")
                .hasMessageNotContaining("sweep[warmupEpochs=1]");
    }

    private static WorkflowPlan plan(String yaml, Map<String, ?> overrides) {
        return WorkflowDefinitions.plan(WorkflowDefinitions.parse("grid.yaml", yaml), overrides);
    }

    private static List<String> trainKeys(WorkflowPlan plan) {
        return plan.steps().stream().filter(step -> step.kind() == StepKind.TRAIN).map(PlannedStep::key).toList();
    }
}
