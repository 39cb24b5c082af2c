package dev.resnetops.workflows.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Picks the best of some trained candidates by test Top-1 and moves an alias to its model version if
 * the condition holds.
 *
 * @param candidates     train steps, or fan-outs standing for all their points
 * @param minImprovement for {@code beats-champion}: the Top-1 margin, as a fraction (0.005 = half a point)
 * @param alias          the alias to move; {@code champion} unless set
 */
public record PromoteStep(String id, int line, List<StepLink> needs, List<StepLink> candidates,
                          PromoteCondition condition, Optional<Value> minImprovement, Optional<Value> alias)
        implements StepDefinition {

    public static final String DEFAULT_ALIAS = "champion";

    public PromoteStep {
        needs = List.copyOf(needs);
        candidates = List.copyOf(candidates);
    }

    @Override
    public StepKind kind() {
        return StepKind.PROMOTE;
    }

    @Override
    public List<StepLink> implied() {
        return candidates;
    }

    @Override
    public List<ValueSite> values() {
        List<ValueSite> sites = new ArrayList<>();
        minImprovement.ifPresent(value -> sites.add(new ValueSite("min-improvement", value, ValueType.NUMBER, false)));
        alias.ifPresent(value -> sites.add(new ValueSite("alias", value, ValueType.STRING, false)));
        return sites;
    }
}
