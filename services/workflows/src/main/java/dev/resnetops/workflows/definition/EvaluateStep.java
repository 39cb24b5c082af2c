package dev.resnetops.workflows.definition;

import java.util.List;

/** Records the test-set Top-1/Top-5 of a train step's job, once the evaluator has measured them. */
public record EvaluateStep(String id, int line, List<StepLink> needs, StepLink of) implements StepDefinition {

    public EvaluateStep {
        needs = List.copyOf(needs);
    }

    @Override
    public StepKind kind() {
        return StepKind.EVALUATE;
    }

    @Override
    public List<StepLink> implied() {
        return List.of(of);
    }

    @Override
    public List<ValueSite> values() {
        return List.of();
    }
}
