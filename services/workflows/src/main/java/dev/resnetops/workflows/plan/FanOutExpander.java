package dev.resnetops.workflows.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.definition.FanOutStep;
import dev.resnetops.workflows.definition.GridAxis;
import dev.resnetops.workflows.definition.GridSearch;
import dev.resnetops.workflows.definition.RandomDimension;
import dev.resnetops.workflows.definition.RandomSearch;
import dev.resnetops.workflows.definition.Value;
import dev.resnetops.workflows.definition.ValueType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Expands a fan-out into its points. Keys name the values ({@code sweep[learningRate=0.05,labelSmoothing=0.1]};
 * random points also their number, {@code sweep[#3,learningRate=0.0123]}), so a key means the same
 * training in every plan of the same definition and parameters.
 */
final class FanOutExpander {

    /** A guard against a typo (an extra zero in {@code samples}) filling the database with steps. */
    static final int MAX_POINTS = 1000;

    /** Sampled numbers are rounded to this many significant digits, so the key shows exactly what is trained. */
    private static final MathContext SAMPLE_DIGITS = new MathContext(4);

    private final ValueResolver values;
    private final Problems problems;

    FanOutExpander(ValueResolver values, Problems problems) {
        this.values = values;
        this.problems = problems;
    }

    List<FanOutPoint> expand(FanOutStep step) {
        if (step.space() instanceof GridSearch grid) {
            return grid(step, grid);
        }
        return random(step, (RandomSearch) step.space());
    }

    private List<FanOutPoint> grid(FanOutStep step, GridSearch grid) {
        long size = 1;
        for (GridAxis axis : grid.axes()) {
            size *= axis.values().size();
        }
        if (size > MAX_POINTS) {
            problems.add(grid.line(), "step '" + step.id() + "': the grid has " + size + " points, more than "
                    + MAX_POINTS + "; use 'random' to sample a large space");
            return List.of();
        }
        List<Map<String, TrainingSettings.Setting>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (GridAxis axis : grid.axes()) {
            List<Map<String, TrainingSettings.Setting>> next = new ArrayList<>();
            for (Map<String, TrainingSettings.Setting> point : points) {
                for (Value value : axis.values()) {
                    Map<String, TrainingSettings.Setting> extended = new LinkedHashMap<>(point);
                    extended.put(axis.field(), new TrainingSettings.Setting(values.resolve(value, axis.type()), value.line()));
                    next.add(extended);
                }
            }
            points = next;
        }
        List<FanOutPoint> expanded = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Map<String, TrainingSettings.Setting> fields : points) {
            String key = key(step.id(), null, fields);
            if (keys.add(key)) {
                expanded.add(new FanOutPoint(key, fields));
            } else {
                problems.add(grid.line(), "step '" + step.id() + "': the grid gives " + key + " twice (a parameter"
                        + " has the same value as another entry)");
            }
        }
        return expanded;
    }

    private List<FanOutPoint> random(FanOutStep step, RandomSearch search) {
        String where = "step '" + step.id() + "': random";
        long samples = values.resolve(search.samples(), ValueType.INT).longValue();
        if (samples < 1 || samples > MAX_POINTS) {
            problems.add(search.samples().line(), where + ".samples must be in [1, " + MAX_POINTS + "], found " + samples);
            return List.of();
        }
        if (!boundsValid(search, where)) {
            return List.of();
        }
        // java.util.Random's sequence is specified by the JDK, so a seed gives the same points on every JVM.
        Random random = new Random(values.resolve(search.seed(), ValueType.INT).longValue());
        List<FanOutPoint> points = new ArrayList<>();
        for (int n = 1; n <= samples; n++) {
            Map<String, TrainingSettings.Setting> fields = new LinkedHashMap<>();
            for (RandomDimension dimension : search.dimensions()) {
                fields.put(dimension.field(), new TrainingSettings.Setting(sample(dimension, random), dimension.line()));
            }
            points.add(new FanOutPoint(key(step.id(), n, fields), fields));
        }
        return points;
    }

    private boolean boundsValid(RandomSearch search, String where) {
        boolean valid = true;
        for (RandomDimension dimension : search.dimensions()) {
            if (dimension.isChoice()) {
                continue;
            }
            double min = bound(dimension.min().orElseThrow());
            double max = bound(dimension.max().orElseThrow());
            String what = where + ".space." + dimension.field();
            if (!(min <= max)) {
                problems.add(dimension.line(), what + ": min (" + ValueResolver.text(min) + ") is above max ("
                        + ValueResolver.text(max) + ")");
                valid = false;
            } else if (dimension.log() && min <= 0) {
                problems.add(dimension.line(), what + ": a log range needs min > 0, found " + ValueResolver.text(min));
                valid = false;
            }
        }
        return valid;
    }

    private JsonNode sample(RandomDimension dimension, Random random) {
        if (dimension.isChoice()) {
            Value choice = dimension.choices().get(random.nextInt(dimension.choices().size()));
            return values.resolve(choice, dimension.type());
        }
        double min = bound(dimension.min().orElseThrow());
        double max = bound(dimension.max().orElseThrow());
        double u = random.nextDouble();
        if (dimension.type() == ValueType.INT) {
            long low = (long) Math.ceil(min);
            long high = (long) Math.floor(max);
            long n = dimension.log() ? Math.round(Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))))
                    : low + (long) Math.floor(u * (high - low + 1)); // every integer equally likely
            return JsonNodeFactory.instance.numberNode(Math.max(low, Math.min(high, n)));
        }
        double x = dimension.log() ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
        return JsonNodeFactory.instance.numberNode(new BigDecimal(x).round(SAMPLE_DIGITS).doubleValue());
    }

    private double bound(Value value) {
        return values.resolve(value, ValueType.NUMBER).doubleValue();
    }

    private static String key(String id, Integer sample, Map<String, TrainingSettings.Setting> fields) {
        StringJoiner key = new StringJoiner(",", id + "[", "]");
        if (sample != null) {
            key.add("#" + sample);
        }
        fields.forEach((name, setting) -> key.add(name + "=" + ValueResolver.text(setting.value())));
        return key.toString();
    }
}
