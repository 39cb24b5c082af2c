package dev.resnetops.workflows.yaml;

import java.util.List;
import java.util.Optional;

/** A mapping in source order; keys are unique (the reader reports duplicates and keeps the first). */
public record YamlMap(int line, List<YamlEntry> entries) implements YamlNode {

    public YamlMap {
        entries = List.copyOf(entries);
    }

    public Optional<YamlEntry> entry(String key) {
        return entries.stream().filter(entry -> entry.key().equals(key)).findFirst();
    }

    @Override
    public String describe() {
        return "a mapping";
    }
}
