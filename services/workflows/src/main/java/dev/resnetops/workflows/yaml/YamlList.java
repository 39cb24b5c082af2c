package dev.resnetops.workflows.yaml;

import java.util.List;

public record YamlList(int line, List<YamlNode> items) implements YamlNode {

    public YamlList {
        items = List.copyOf(items);
    }

    @Override
    public String describe() {
        return "a list";
    }
}
