package dev.resnetops.workflows.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a training run is made of, shared by a train step and a fan-out's template.
 *
 * <p>The configuration is layered: TrainingConfig's defaults, then the {@code extends} step's
 * configuration (its own layers, recursively), then {@code config}. So an ablation row states only
 * what it changes, and the rows cannot drift apart in the fields they should share.
 *
 * @param dataset    dataset id or name; inherited from the extended step when absent
 * @param experiment MLflow experiment; inherited, or the executor's default when absent
 * @param extendsStep a train step whose dataset, experiment and configuration this one starts from
 *                   (a definition-time copy, not a dependency)
 * @param config     TrainingConfig fields, in the same names as a {@code mlops train --config} file
 */
public record TrainSpec(Optional<Value> dataset, Optional<Value> experiment, Optional<StepLink> extendsStep,
                        List<ConfigField> config) {

    public TrainSpec {
        config = List.copyOf(config);
    }

    /** The spec's values with their expected types. */
    public List<ValueSite> values() {
        List<ValueSite> sites = new ArrayList<>();
        dataset.ifPresent(value -> sites.add(new ValueSite("dataset", value, ValueType.STRING, true)));
        experiment.ifPresent(value -> sites.add(new ValueSite("experiment", value, ValueType.STRING, true)));
        for (ConfigField field : config) {
            sites.add(new ValueSite("config." + field.name(), field.value(), field.type(), false));
        }
        return sites;
    }
}
