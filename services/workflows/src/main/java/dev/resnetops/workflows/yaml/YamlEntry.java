package dev.resnetops.workflows.yaml;

/** One {@code key: value} of a mapping; problems about the field point at {@code keyLine}. */
public record YamlEntry(String key, int keyLine, YamlNode value) {
}
