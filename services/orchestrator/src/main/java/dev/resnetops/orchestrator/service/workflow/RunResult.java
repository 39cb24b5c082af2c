package dev.resnetops.orchestrator.service.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.api.WorkflowStepState;
import dev.resnetops.orchestrator.repository.WorkflowRunRow;
import dev.resnetops.orchestrator.repository.WorkflowStepRow;
import dev.resnetops.workflows.plan.ResultSpec;
import dev.resnetops.workflows.plan.ResultTable;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's result table: built from the plan's result spec and the outputs the steps recorded, stored
 * as JSON in {@code workflow_runs.result}, and read back for the API's Markdown form.
 */
@ApplicationScoped
public class RunResult {

    private final ObjectMapper json;

    RunResult(ObjectMapper json) {
        this.json = json;
    }

    /** The table, or empty when the workflow defines none. Rows whose steps did not succeed show no numbers. */
    Optional<ResultTable> build(WorkflowRunRow run, List<WorkflowStepRow> steps) {
        JsonNode spec = run.plan() == null ? null : run.plan().get("result");
        if (spec == null || spec.isNull()) {
            return Optional.empty();
        }
        Map<String, JsonNode> outputs = new HashMap<>();
        steps.stream().filter(step -> step.state() == WorkflowStepState.SUCCEEDED)
                .forEach(step -> outputs.put(step.key(), step.output()));
        return Optional.of(ResultTable.build(read(spec, ResultSpec.class), outputs));
    }

    /** The stored table as JSON again, or empty when there is none. */
    public Optional<ResultTable> read(JsonNode stored) {
        return stored == null || stored.isNull() ? Optional.empty() : Optional.of(read(stored, ResultTable.class));
    }

    private <T> T read(JsonNode node, Class<T> type) {
        try {
            return json.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored workflow " + type.getSimpleName() + " cannot be read: "
                    + e.getOriginalMessage(), e);
        }
    }
}
