package dev.resnetops.vision.config;

import java.util.List;
import java.util.Optional;

/** A training configuration a user got wrong; the message names every bad field. */
public final class InvalidConfigException extends IllegalArgumentException {

    private final List<ConfigProblem> problems;
    private final String source;

    public InvalidConfigException(List<ConfigProblem> problems) {
        this(null, problems);
    }

    private InvalidConfigException(String source, List<ConfigProblem> problems) {
        super("invalid training configuration: " + String.join("; ", problems.stream()
                .map(p -> (source == null ? "" : source + ": ") + p).toList()));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid configuration has at least one problem");
        }
        this.problems = List.copyOf(problems);
        this.source = source;
    }

    public static InvalidConfigException of(ConfigProblem problem) {
        return new InvalidConfigException(List.of(problem));
    }

    /** The same problems, read from {@code source} (a file name), which the message then names. */
    public InvalidConfigException in(String source) {
        return new InvalidConfigException(source, problems);
    }

    /** Every problem, in the order the fields were checked. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /** The file the configuration came from, when it came from one. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }
}
