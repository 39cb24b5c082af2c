package dev.resnetops.workflows.definition;

import java.util.ArrayList;
import java.util.List;

/** Every combination of the axes' values; the first axis varies slowest. */
public record GridSearch(int line, List<GridAxis> axes) implements SearchSpace {

    public GridSearch {
        axes = List.copyOf(axes);
    }

    @Override
    public List<ValueSite> values() {
        List<ValueSite> sites = new ArrayList<>();
        for (GridAxis axis : axes) {
            axis.values().forEach(value -> sites.add(new ValueSite("grid." + axis.field(), value, axis.type(), false)));
        }
        return sites;
    }
}
