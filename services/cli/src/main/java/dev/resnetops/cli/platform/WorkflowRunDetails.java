package dev.resnetops.cli.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resnetops.cli.TextTable;
import dev.resnetops.contracts.api.WorkflowRunView;
import dev.resnetops.contracts.api.WorkflowStepView;
import java.io.PrintWriter;
import java.util.Locale;

/** A workflow run as text: its state, a line per step, and the result table once it has ended. */
final class WorkflowRunDetails {

    private WorkflowRunDetails() {
    }

    static void print(WorkflowRunView run, PrintWriter out) {
        out.printf("workflow run %s (%s): %s%s%n", run.id(), run.workflow(), run.state(),
                run.stateReason() == null ? "" : " - " + run.stateReason());
        steps(run).print(out);
        if (run.resultMarkdown() != null) {
            out.println();
            out.print(run.resultMarkdown());
        }
        if (run.mlflowParentRunId() != null) {
            out.printf("MLflow parent run: %s%n", run.mlflowParentRunId());
        }
        out.flush();
    }

    /** The steps table; also what {@code --follow} redraws when a step changes. */
    static TextTable steps(WorkflowRunView run) {
        TextTable table = TextTable.withColumns("step", "kind", "state", "try", "job", "output / error")
                .alignRight("try");
        for (WorkflowStepView step : run.steps()) {
            table.row(step.key(), step.kind(), step.state(), step.attempt() == 0 ? null : step.attempt(),
                    step.jobId() == null ? null : ApiDisplay.shortId(step.jobId()), detail(step));
        }
        return table;
    }

    private static String detail(WorkflowStepView step) {
        if (step.error() != null) {
            return step.error();
        }
        JsonNode output = step.output();
        if (output == null || output.isNull()) {
            return null;
        }
        if (output.has("promoted")) {
            return (output.get("promoted").asBoolean() ? "promoted " : "kept the alias holder over ")
                    + output.path("model").asText() + " v" + output.path("version").asText()
                    + " (" + output.path("winner").asText() + ")";
        }
        if (output.has("top1")) {
            return String.format(Locale.ROOT, "top-1 %.2f%%, top-5 %.2f%%", 100 * output.get("top1").asDouble(),
                    100 * output.path("top5").asDouble());
        }
        if (output.has("version") && output.has("model")) {
            return output.get("model").asText() + " v" + output.get("version").asText();
        }
        if (output.has("dataset")) {
            return "dataset " + output.get("dataset").asText();
        }
        return null;
    }
}
