package dev.resnetops.orchestrator.service.workflow;

import dev.resnetops.contracts.api.Problem;
import dev.resnetops.contracts.api.WorkflowParameterView;
import dev.resnetops.contracts.api.WorkflowSummary;
import dev.resnetops.orchestrator.config.OrchestratorConfig;
import dev.resnetops.orchestrator.service.RequestRefused;
import dev.resnetops.workflows.InvalidWorkflowException;
import dev.resnetops.workflows.WorkflowDefinitions;
import dev.resnetops.workflows.definition.ParameterDefinition;
import dev.resnetops.workflows.definition.WorkflowDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The workflow definitions of the configured folder, read on every request rather than once at start:
 * a definition edited on the server takes effect for the next run, and one broken file is reported
 * for itself (with its lines) instead of taking the whole API down.
 */
@ApplicationScoped
public class WorkflowLibrary {

    /** A definition with the text it was read from: a run stores the text, so it never changes under it. */
    public record Loaded(WorkflowDefinition definition, String source) {
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,99}");

    private final OrchestratorConfig config;

    WorkflowLibrary(OrchestratorConfig config) {
        this.config = config;
    }

    /** The named workflow, checked; 404 when there is none, 400 with every problem when it is broken. */
    public Loaded load(String name) {
        Path file = file(name);
        String text = read(file);
        try {
            return new Loaded(WorkflowDefinitions.parse(file.getFileName().toString(), text), text);
        } catch (InvalidWorkflowException e) {
            throw refused(e);
        }
    }

    public List<WorkflowSummary> list() {
        List<WorkflowSummary> summaries = new ArrayList<>();
        for (Path file : files()) {
            String fileName = file.getFileName().toString();
            String name = fileName.substring(0, fileName.lastIndexOf('.'));
            try {
                WorkflowDefinition definition = WorkflowDefinitions.check(fileName, read(file));
                summaries.add(new WorkflowSummary(definition.name(), definition.description(),
                        definition.parameters().stream().map(WorkflowLibrary::view).toList(), List.of()));
            } catch (InvalidWorkflowException e) {
                summaries.add(new WorkflowSummary(name, null, List.of(),
                        e.problems().stream().map(Object::toString).toList()));
            }
        }
        return summaries;
    }

    /** Every problem as {@code file:line} and message, the form the API's 400 answers use. */
    public static RequestRefused refused(InvalidWorkflowException e) {
        return RequestRefused.invalid(e.problems().stream()
                .map(p -> new Problem(p.file() + ":" + p.line(), p.message())).toList());
    }

    private Path file(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw RequestRefused.notFound("no workflow '" + name + "' (names are lower-case letters, digits, '-', '_';"
                    + " GET /workflows lists them)");
        }
        Path folder = Path.of(config.workflows().folder());
        for (String extension : List.of(".yaml", ".yml")) {
            Path file = folder.resolve(name + extension);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw RequestRefused.notFound("no workflow '" + name + "' in " + folder.toAbsolutePath()
                + " (GET /workflows lists them)");
    }

    private List<Path> files() {
        Path folder = Path.of(config.workflows().folder());
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list workflow definitions in " + folder.toAbsolutePath()
                    + " (mlops.workflows.folder): " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read workflow definition " + file + ": " + e.getMessage(), e);
        }
    }

    private static WorkflowParameterView view(ParameterDefinition p) {
        return new WorkflowParameterView(p.name(), p.type().key(), p.defaultValue().orElse(null), p.description(),
                p.allowed(), p.min().isPresent() ? p.min().getAsDouble() : null,
                p.max().isPresent() ? p.max().getAsDouble() : null);
    }
}
