package dev.resnetops.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.workflows.definition.ConfigField;
import dev.resnetops.workflows.definition.FanOutStep;
import dev.resnetops.workflows.definition.Literal;
import dev.resnetops.workflows.definition.OutputReference;
import dev.resnetops.workflows.definition.ParameterDefinition;
import dev.resnetops.workflows.definition.ParameterReference;
import dev.resnetops.workflows.definition.PromoteCondition;
import dev.resnetops.workflows.definition.PromoteStep;
import dev.resnetops.workflows.definition.RandomSearch;
import dev.resnetops.workflows.definition.TextTemplate;
import dev.resnetops.workflows.definition.TrainStep;
import dev.resnetops.workflows.definition.ValueType;
import dev.resnetops.workflows.definition.WorkflowDefinition;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** YAML becomes typed steps and values that keep the line they were written on. */
class DefinitionModelTest {

    private final WorkflowDefinition definition = WorkflowDefinitions.parse("model.yaml", """
            name: model
            description: a bit of everything
            parameters:
              epochs: {type: int, default: 3, min: 1, description: per run}
              margin: {type: number, default: 0}
            steps:
              - id: ingest
                kind: ingest
                name: cifar10
                source: /data/cifar-10-batches-bin
              - id: base
                kind: train
                dataset: ${steps.ingest.dataset}
                experiment: run-${params.epochs}-epochs
                config:
                  epochs: ${params.epochs}
                  stepMilestones: [0.3, 0.6]
              - id: search
                kind: fan-out
                template: {extends: base}
                random:
                  samples: 4
                  space:
                    weightDecay: {min: 1.0e-5, max: 1.0e-3, log: true}
              - id: promote
                kind: promote
                candidates: [base, search]
                condition: beats-champion
                min-improvement: ${params.margin}
            """);

    @Test
    void parametersAreTypedWithTheirDefaultsAndLines() {
        ParameterDefinition epochs = definition.parameter("epochs").orElseThrow();

        assertThat(epochs.type()).isEqualTo(ValueType.INT);
        assertThat(epochs.defaultValue()).contains(3L);
        assertThat(epochs.min()).isEqualTo(OptionalDouble.of(1));
        assertThat(epochs.line()).isEqualTo(4);
        assertThat(definition.parameter("margin").orElseThrow().defaultValue()).contains(0.0);
        assertThat(definition.parametersLine()).isEqualTo(3);
    }

    @Test
    void stepsAreTypedAndValuesKeepTheirReferencesAndLines() {
        TrainStep base = (TrainStep) definition.step("base").orElseThrow();
        assertThat(base.line()).isEqualTo(11);
        assertThat(base.spec().dataset()).contains(new OutputReference("ingest", "dataset", 13));
        assertThat(base.spec().experiment().orElseThrow()).isInstanceOf(TextTemplate.class);
        assertThat(base.spec().config()).first()
                .isEqualTo(new ConfigField("epochs", new ParameterReference("epochs", 16), 16, ValueType.INT));
        assertThat(base.spec().config().get(1).type()).isEqualTo(ValueType.NUMBER_LIST);
        assertThat(base.dependencies()).extracting(link -> link.id()).containsExactly("ingest");

        FanOutStep search = (FanOutStep) definition.step("search").orElseThrow();
        assertThat(search.template().extendsStep().orElseThrow().id()).isEqualTo("base");
        RandomSearch random = (RandomSearch) search.space();
        assertThat(random.samples()).isEqualTo(new Literal(4L, 22));
        assertThat(random.seed()).isEqualTo(new Literal(0L, 21));
        assertThat(random.dimensions().get(0).log()).isTrue();

        PromoteStep promote = (PromoteStep) definition.step("promote").orElseThrow();
        assertThat(promote.condition()).isEqualTo(PromoteCondition.BEATS_CHAMPION);
        assertThat(promote.minImprovement()).isEqualTo(Optional.of(new ParameterReference("margin", 29)));
        assertThat(promote.implied()).extracting(link -> link.id()).containsExactly("base", "search");
    }
}
