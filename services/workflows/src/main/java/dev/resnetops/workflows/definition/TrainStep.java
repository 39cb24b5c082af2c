package dev.resnetops.workflows.definition;

import java.util.List;

/** Trains one configuration: one job. */
public record TrainStep(String id, int line, List<StepLink> needs, TrainSpec spec) implements StepDefinition {

    public TrainStep {
        needs = List.copyOf(needs);
    }

    @Override
    public StepKind kind() {
        return StepKind.TRAIN;
    }

    @Override
    public List<StepLink> implied() {
        return List.of();
    }

    @Override
    public List<ValueSite> values() {
        return spec.values();
    }
}
