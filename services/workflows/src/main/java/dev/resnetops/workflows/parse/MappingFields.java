package dev.resnetops.workflows.parse;

import dev.resnetops.workflows.Problems;
import dev.resnetops.workflows.yaml.YamlEntry;
import dev.resnetops.workflows.yaml.YamlMap;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of one mapping, taken one by one; whatever nobody took is an unknown field, reported
 * with its line and the fields that would have been understood (a typo is the usual cause).
 */
final class MappingFields {

    private final YamlMap map;
    private final String where;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    MappingFields(YamlMap map, String where, Problems problems) {
        this.map = map;
        this.where = where;
        this.problems = problems;
    }

    Optional<YamlEntry> optional(String key) {
        known.add(key);
        return map.entry(key);
    }

    Optional<YamlEntry> required(String key) {
        Optional<YamlEntry> entry = optional(key);
        if (entry.isEmpty()) {
            problems.add(map.line(), where + ": '" + key + "' is required");
        }
        return entry;
    }

    /** Reports every field not taken; call after all {@code optional}/{@code required} calls. */
    void rejectUnknown() {
        for (YamlEntry entry : map.entries()) {
            if (!known.contains(entry.key())) {
                problems.add(entry.keyLine(), where + ": unknown field '" + entry.key() + "' (known fields: "
                        + String.join(", ", known) + ")");
            }
        }
    }
}
