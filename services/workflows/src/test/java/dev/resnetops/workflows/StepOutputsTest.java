package dev.resnetops.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.workflows.plan.PlannedStep;
import dev.resnetops.workflows.plan.WorkflowPlan;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values known only at run time travel as placeholders and are filled in from the outputs of finished steps. */
class StepOutputsTest {

    private final WorkflowPlan plan = WorkflowDefinitions.plan(WorkflowDefinitions.parse("ingest-train.yaml", """
            name: ingest-train
            parameters:
              root: {type: string, default: /usr/share/datasets}
            steps:
              - id: ingest
                kind: ingest
                name: fashion-mnist
                source: ${params.root}/fashion-mnist
              - id: train
                kind: train
                dataset: ${steps.ingest.dataset}
                experiment: costs $${HOME} nothing
                config: {epochs: 2}
            """), Map.of("root", "/data"));

    @Test
    void anOutputReferenceMakesADependencyAndAPlaceholder() {
        PlannedStep train = plan.step("train").orElseThrow();

        assertThat(train.dependsOn()).containsExactly("ingest");
        assertThat(train.inputs().get("dataset").toString())
                .isEqualTo("{\"$output\":{\"step\":\"ingest\",\"output\":\"dataset\"}}");
        assertThat(train.inputs().get("experiment").asText()).isEqualTo("costs ${HOME} nothing");
        assertThat(plan.step("ingest").orElseThrow().inputs().get("source").asText()).isEqualTo("/data/fashion-mnist");
    }

    @Test
    void placeholdersAreFilledFromRecordedOutputsAndALiteralDollarBraceIsLeftAlone() throws Exception {
        JsonNode ingestOutput = new ObjectMapper().readTree("{\"dataset\": \"4b1c\", \"version\": \"sha256:ab\"}");

        JsonNode inputs = plan.step("train").orElseThrow().inputsWith(Map.of("ingest", ingestOutput));

        assertThat(inputs.get("dataset").asText()).isEqualTo("4b1c");
        assertThat(inputs.get("experiment").asText()).isEqualTo("costs ${HOME} nothing");
        assertThatThrownBy(() -> plan.step("train").orElseThrow().inputsWith(Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("step train needs output 'dataset' of step ingest, which has not recorded it");
    }
}
