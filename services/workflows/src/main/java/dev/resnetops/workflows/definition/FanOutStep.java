package dev.resnetops.workflows.definition;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains the template once per point of its search space. In the plan it becomes one train step per
 * point, keyed {@code id[field=value,...]}; naming the fan-out in {@code needs}, {@code candidates} or
 * result rows stands for all of them.
 */
public record FanOutStep(String id, int line, List<StepLink> needs, TrainSpec template, SearchSpace space)
        implements StepDefinition {

    public FanOutStep {
        needs = List.copyOf(needs);
    }

    @Override
    public StepKind kind() {
        return StepKind.FAN_OUT;
    }

    @Override
    public List<StepLink> implied() {
        return List.of();
    }

    @Override
    public List<ValueSite> values() {
        List<ValueSite> sites = new ArrayList<>(template.values());
        sites.addAll(space.values());
        return sites;
    }
}
