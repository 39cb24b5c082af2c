package dev.resnetops.workflows.definition;

import java.util.List;

/**
 * Registers a dataset source (as {@code POST /datasets} does) and waits until it is ingested.
 *
 * @param name   the dataset's name
 * @param source a path on the server: IDX folder, ImageFolder tree, CIFAR batches, or an archive of one
 */
public record IngestStep(String id, int line, List<StepLink> needs, Value name, Value source) implements StepDefinition {

    public IngestStep {
        needs = List.copyOf(needs);
    }

    @Override
    public StepKind kind() {
        return StepKind.INGEST;
    }

    @Override
    public List<StepLink> implied() {
        return List.of();
    }

    @Override
    public List<ValueSite> values() {
        return List.of(new ValueSite("name", name, ValueType.STRING, true),
                new ValueSite("source", source, ValueType.STRING, true));
    }
}
