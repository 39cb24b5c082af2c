package dev.resnetops.workflows.definition;

import java.util.List;

/** Records the ONNX model version the evaluator registered for a train step's job (after its parity gate). */
public record ExportStep(String id, int line, List<StepLink> needs, StepLink of) implements StepDefinition {

    public ExportStep {
        needs = List.copyOf(needs);
    }

    @Override
    public StepKind kind() {
        return StepKind.EXPORT;
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
