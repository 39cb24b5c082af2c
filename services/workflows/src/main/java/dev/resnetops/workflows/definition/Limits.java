package dev.resnetops.workflows.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The workflow's budget beyond each run's own (epochs, samples): how many trainings it may start and
 * how many may run at once. Either can be a parameter, so a request can raise or lower it.
 *
 * @param line line of {@code limits:}, or of {@code name:} when the workflow sets none
 */
public record Limits(int line, Optional<Value> maxTrainings, Optional<Value> maxParallel) {

    public static Limits none(int line) {
        return new Limits(line, Optional.empty(), Optional.empty());
    }

    public List<ValueSite> values() {
        List<ValueSite> sites = new ArrayList<>();
        maxTrainings.ifPresent(value -> sites.add(new ValueSite("limits.max-trainings", value, ValueType.INT, false)));
        maxParallel.ifPresent(value -> sites.add(new ValueSite("limits.max-parallel", value, ValueType.INT, false)));
        return sites;
    }
}
