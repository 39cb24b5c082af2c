package dev.resnetops.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.workflows.definition.StepKind;
import dev.resnetops.workflows.definition.WorkflowDefinition;
import dev.resnetops.workflows.plan.PlannedStep;
import dev.resnetops.workflows.plan.ResultRowSpec;
import dev.resnetops.workflows.plan.WorkflowPlan;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The definitions in the repository's workflows/ folder parse, check and plan as documented. */
class ShippedWorkflowsTest {

    /** Surefire runs in the module folder, services/workflows. */
    private static final Path FOLDER = Path.of("../../workflows");

    private final WorkflowCatalog catalog = WorkflowCatalog.load(FOLDER);

    @Test
    void loadsEveryShippedWorkflow() {
        assertThat(catalog.names()).containsExactly("fine-tune", "lr-sweep", "paper-ablation",
                "train-evaluate-promote");
        assertThat(catalog.source("paper-ablation")).get().asString().contains("name: paper-ablation");
    }

    @Test
    void ablationTrainsSixRowsThatDifferFromTheBaselineExactlyAsThePapersTableSays() {
        WorkflowPlan plan = plan("paper-ablation", Map.of());

        assertThat(keysOf(plan, StepKind.TRAIN)).containsExactly(
                "baseline", "avgpool-shortcut", "label-smoothing", "mixed-precision-cosine", "paper", "resnet-d");
        JsonNode baseline = config(plan, "baseline");
        assertThat(baseline.get("model").asText()).isEqualTo("resnet50-small");
        assertThat(baseline.get("schedule").asText()).isEqualTo("step");
        assertThat(baseline.get("labelSmoothing").asDouble()).isZero();
        assertThat(baseline.get("precision").asText()).isEqualTo("fp32");

        assertThat(differences(baseline, config(plan, "avgpool-shortcut")))
                .isEqualTo(Map.of("model", "resnet50-paper-small"));
        assertThat(differences(baseline, config(plan, "label-smoothing")))
                .isEqualTo(Map.of("labelSmoothing", "0.1"));
        assertThat(differences(baseline, config(plan, "mixed-precision-cosine")))
                .isEqualTo(Map.of("precision", "auto", "schedule", "cosine"));
        assertThat(differences(baseline, config(plan, "paper"))).isEqualTo(Map.of(
                "model", "resnet50-paper-small", "labelSmoothing", "0.1", "precision", "auto", "schedule", "cosine"));
        assertThat(differences(baseline, config(plan, "resnet-d"))).isEqualTo(Map.of(
                "model", "resnet50-d-small", "labelSmoothing", "0.1", "precision", "auto", "schedule", "cosine"));
    }

    @Test
    void ablationRowsShareTheBudgetAndTheRequestChangesItForAll() {
        WorkflowPlan plan = plan("paper-ablation", Map.of("epochs", 3, "max-train-samples", 1000, "precision", "fp16"));

        for (String row : keysOf(plan, StepKind.TRAIN)) {
            JsonNode config = config(plan, row);
            assertThat(config.get("epochs").asInt()).as(row).isEqualTo(3);
            assertThat(config.get("maxTrainSamples").asInt()).as(row).isEqualTo(1000);
            assertThat(config.get("batchSize").asInt()).as(row).isEqualTo(64);
            assertThat(config.get("inputSize").asInt()).as(row).isEqualTo(32);
        }
        assertThat(config(plan, "baseline").get("precision").asText()).isEqualTo("fp32");
        assertThat(config(plan, "paper").get("precision").asText()).isEqualTo("fp16");
        assertThat(plan.parameters()).containsEntry("epochs", 3L).containsEntry("dataset", "fashion-mnist");
        assertThat(plan.step("baseline").orElseThrow().inputs().get("experiment").asText())
                .isEqualTo("paper-ablation-fashion-mnist");
    }

    @Test
    void ablationResultHasARowPerConfigurationEachWithAnEvaluationAndTheBaselineNamed() {
        WorkflowPlan plan = plan("paper-ablation", Map.of());

        assertThat(plan.result().baseline()).isEqualTo("ResNet-50 (baseline)");
        assertThat(plan.result().columns()).containsExactly("top1", "top5");
        assertThat(plan.result().rows()).extracting(ResultRowSpec::train).containsExactly(
                "baseline", "avgpool-shortcut", "label-smoothing", "mixed-precision-cosine", "paper", "resnet-d");
        for (ResultRowSpec row : plan.result().rows()) {
            PlannedStep evaluate = plan.step(row.evaluate()).orElseThrow();
            assertThat(evaluate.kind()).isEqualTo(StepKind.EVALUATE);
            assertThat(evaluate.dependsOn()).containsExactly(row.train());
            assertThat(evaluate.inputs().get("train").asText()).isEqualTo(row.train());
        }
        assertThat(plan.steps()).hasSize(12);
        assertThat(plan.limits().maxTrainings()).isEqualTo(6);
        assertThat(plan.limits().maxParallel()).isEqualTo(2);
    }

    @Test
    void trainEvaluatePromoteWaitsForTheEvaluationAndTheExportBeforePromoting() {
        WorkflowPlan plan = plan("train-evaluate-promote", Map.of("min-improvement", 0.01));

        assertThat(plan.steps()).extracting(PlannedStep::key).containsExactly("train", "evaluate", "export", "promote");
        PlannedStep promote = plan.step("promote").orElseThrow();
        assertThat(promote.dependsOn()).containsExactlyInAnyOrder("export", "evaluate");
        JsonNode inputs = promote.inputs();
        assertThat(inputs.get("condition").asText()).isEqualTo("beats-champion");
        assertThat(inputs.get("minImprovement").asDouble()).isEqualTo(0.01);
        assertThat(inputs.get("alias").asText()).isEqualTo("champion");
        assertThat(inputs.get("candidates").get(0).get("train").asText()).isEqualTo("train");
        assertThat(inputs.get("candidates").get(0).get("evaluate").asText()).isEqualTo("evaluate");
        assertThat(plan.result().rows()).containsExactly(new ResultRowSpec("train", "train", "evaluate"));
    }

    @Test
    void fineTuneStartsFromTheGivenWeightsAndPromotesOnlyIfItBeatsTheChampion() {
        WorkflowPlan plan = plan("fine-tune", Map.of("dataset", "flowers", "init", "resnetops-flowers@champion",
                "freeze", "stage3"));

        assertThat(plan.steps()).extracting(PlannedStep::key)
                .containsExactly("fine-tune", "evaluate", "export", "promote");
        JsonNode config = config(plan, "fine-tune");
        assertThat(config.get("init").asText()).isEqualTo("resnetops-flowers@champion");
        assertThat(config.get("freeze").asText()).isEqualTo("stage3");
        assertThat(config.get("normalization").asText()).isEqualTo("auto");
        assertThat(config.get("headLearningRateMultiplier").asDouble()).isEqualTo(10);
        assertThat(config.get("inputSize").asInt()).isEqualTo(64);
        PlannedStep promote = plan.step("promote").orElseThrow();
        assertThat(promote.inputs().get("condition").asText()).isEqualTo("beats-champion");
        assertThat(promote.dependsOn()).containsExactlyInAnyOrder("export", "evaluate");
    }

    @Test
    void fineTuneNeedsADatasetAndStartingWeights() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> plan("fine-tune", Map.of("dataset", "flowers")))
                .hasMessageContaining("init");
    }

    @Test
    void lrSweepTrainsTheGridAndPromotesTheBestOfIt() {
        WorkflowPlan plan = plan("lr-sweep", Map.of());

        List<String> trainings = keysOf(plan, StepKind.TRAIN);
        assertThat(trainings).containsExactly(
                "sweep[learningRate=0.025,labelSmoothing=0]", "sweep[learningRate=0.025,labelSmoothing=0.1]",
                "sweep[learningRate=0.05,labelSmoothing=0]", "sweep[learningRate=0.05,labelSmoothing=0.1]",
                "sweep[learningRate=0.1,labelSmoothing=0]", "sweep[learningRate=0.1,labelSmoothing=0.1]");
        JsonNode point = config(plan, "sweep[learningRate=0.05,labelSmoothing=0.1]");
        assertThat(point.get("learningRate").asDouble()).isEqualTo(0.05);
        assertThat(point.get("labelSmoothing").asDouble()).isEqualTo(0.1);
        PlannedStep promote = plan.step("promote").orElseThrow();
        assertThat(promote.inputs().get("candidates")).hasSize(6);
        assertThat(promote.dependsOn()).hasSize(6).allMatch(key -> key.endsWith("/evaluate"));
        assertThat(plan.result().rows()).hasSize(6);
    }

    @Test
    void planIsJsonAndReadsBackEqual() throws Exception {
        ObjectMapper json = new ObjectMapper();
        WorkflowPlan plan = plan("lr-sweep", Map.of("epochs", 4));

        String text = json.writeValueAsString(plan);
        WorkflowPlan read = json.readValue(text, WorkflowPlan.class);

        assertThat(json.readTree(text).get("steps").get(0).get("kind").asText()).isEqualTo("train");
        assertThat(read.steps()).extracting(PlannedStep::key)
                .containsExactlyElementsOf(plan.steps().stream().map(PlannedStep::key).toList());
        // Node classes differ after a read (IntNode for LongNode), so compare the JSON text.
        assertThat(read.steps().get(0).inputs().toString()).isEqualTo(plan.steps().get(0).inputs().toString());
        assertThat(json.writeValueAsString(read)).isEqualTo(text);
    }

    private WorkflowPlan plan(String name, Map<String, ?> overrides) {
        WorkflowDefinition definition = catalog.find(name).orElseThrow();
        return WorkflowDefinitions.plan(definition, overrides);
    }

    private static List<String> keysOf(WorkflowPlan plan, StepKind kind) {
        return plan.steps().stream().filter(step -> step.kind() == kind).map(PlannedStep::key).toList();
    }

    private static JsonNode config(WorkflowPlan plan, String key) {
        return plan.step(key).orElseThrow().inputs().get("config");
    }

    /** Fields whose value differs from the baseline's, with the row's value as text. */
    private static Map<String, String> differences(JsonNode baseline, JsonNode row) {
        Map<String, String> differences = new TreeMap<>();
        for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!row.get(name).equals(baseline.get(name))) {
                differences.put(name, row.get(name).asText());
            }
        }
        return differences;
    }
}
