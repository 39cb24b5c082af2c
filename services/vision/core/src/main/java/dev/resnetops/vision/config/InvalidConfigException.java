package dev.resnetops.vision.config;

import java.util.List;

/** A training configuration a user got wrong; the message names every bad field. */
public final class InvalidConfigException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super("invalid training configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One entry per problem, each starting with the field name. */
    public List<String> problems() {
        return problems;
    }
}
