package dev.resnetops.workflows;

import dev.resnetops.workflows.definition.WorkflowDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The workflows of a folder ({@code workflows/} in the repository): every {@code *.yaml}/{@code *.yml}
 * file, checked as {@link WorkflowDefinitions#check} does. One bad file fails the whole load, with the
 * problems of every bad file, so a broken definition is noticed when the catalog is read, not when
 * someone first asks for it.
 */
public final class WorkflowCatalog {

    private final Map<String, WorkflowDefinition> definitions;
    private final Map<String, String> sources;

    private WorkflowCatalog(Map<String, WorkflowDefinition> definitions, Map<String, String> sources) {
        this.definitions = Collections.unmodifiableMap(definitions);
        this.sources = Collections.unmodifiableMap(sources);
    }

    public static WorkflowCatalog load(Path folder) {
        Map<String, WorkflowDefinition> definitions = new TreeMap<>();
        Map<String, String> sources = new TreeMap<>();
        List<WorkflowProblem> problems = new ArrayList<>();
        for (Path file : yamlFiles(folder)) {
            String text = read(file);
            try {
                WorkflowDefinition definition = WorkflowDefinitions.check(file.getFileName().toString(), text);
                definitions.put(definition.name(), definition);
                sources.put(definition.name(), text);
            } catch (InvalidWorkflowException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidWorkflowException(problems);
        }
        return new WorkflowCatalog(definitions, sources);
    }

    public Optional<WorkflowDefinition> find(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    /** The definition's text as read: what a run stores, so the run never changes under it. */
    public Optional<String> source(String name) {
        return Optional.ofNullable(sources.get(name));
    }

    /** Names, sorted. */
    public List<String> names() {
        return List.copyOf(definitions.keySet());
    }

    private static List<Path> yamlFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().matches(".*\\.ya?ml"))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list workflow definitions in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read workflow definition " + file + ": " + e.getMessage(), e);
        }
    }
}
