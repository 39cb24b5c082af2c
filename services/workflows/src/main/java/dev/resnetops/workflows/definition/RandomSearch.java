package dev.resnetops.workflows.definition;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code samples} points drawn independently from the dimensions with a generator seeded by
 * {@code seed}, so the same definition and parameters always give the same points.
 */
public record RandomSearch(int line, Value samples, Value seed, List<RandomDimension> dimensions)
        implements SearchSpace {

    public RandomSearch {
        dimensions = List.copyOf(dimensions);
    }

    @Override
    public List<ValueSite> values() {
        List<ValueSite> sites = new ArrayList<>();
        sites.add(new ValueSite("random.samples", samples, ValueType.INT, false));
        sites.add(new ValueSite("random.seed", seed, ValueType.INT, false));
        for (RandomDimension dimension : dimensions) {
            String field = "random.space." + dimension.field();
            dimension.min().ifPresent(value -> sites.add(new ValueSite(field + ".min", value, dimension.type(), false)));
            dimension.max().ifPresent(value -> sites.add(new ValueSite(field + ".max", value, dimension.type(), false)));
            dimension.choices().forEach(value -> sites.add(new ValueSite(field + ".values", value, dimension.type(), false)));
        }
        return sites;
    }
}
