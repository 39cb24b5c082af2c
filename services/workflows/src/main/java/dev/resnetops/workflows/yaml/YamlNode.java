package dev.resnetops.workflows.yaml;

/**
 * A YAML value that remembers the line it was written on. Jackson's tree model drops locations, and
 * every problem in a workflow must name its line, so the reader builds this small tree instead.
 */
public sealed interface YamlNode permits YamlMap, YamlList, YamlScalar {

    /** 1-based line of the value's first character (for a block mapping or list: its first entry). */
    int line();

    /** What the value is, for messages: "a mapping", "a list", "int 3", "string 'x'". */
    String describe();
}
