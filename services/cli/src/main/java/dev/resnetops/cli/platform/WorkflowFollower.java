package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.contracts.api.WorkflowRunState;
import dev.resnetops.contracts.api.WorkflowRunView;
import dev.resnetops.contracts.api.WorkflowStepView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * {@code workflows run|show --follow}: polls the run and shows its steps live until it ends. On a
 * terminal the table is redrawn in place; in a pipe or log only the steps that changed are printed.
 */
final class WorkflowFollower {

    private static final String CLEAR_TO_END = "\u001b[J";

    private final ApiClient client;
    private final PrintWriter out;
    private final boolean inPlace;
    private final Duration interval;

    WorkflowFollower(ApiClient client, PrintWriter out, boolean inPlace, Duration interval) {
        this.client = client;
        this.out = out;
        this.inPlace = inPlace;
        this.interval = interval;
    }

    /** Follows until the run ends, then prints it in full; the exit code: 0 if it COMPLETED, 1 otherwise. */
    static int followAndReport(ApiClient client, PrintWriter out, FollowOptions options, UUID id)
            throws InterruptedException {
        WorkflowRunView last = new WorkflowFollower(client, out, System.console() != null, options.pollInterval())
                .follow(id);
        out.println();
        WorkflowRunDetails.print(last, out);
        return last.state() == WorkflowRunState.COMPLETED ? 0 : 1;
    }

    /** Follows until the run ends; returns it. */
    WorkflowRunView follow(UUID id) throws InterruptedException {
        List<WorkflowStepView> shown = List.of();
        int linesDrawn = 0;
        while (true) {
            WorkflowRunView run = client.workflowRun(id).body();
            if (inPlace) {
                if (linesDrawn > 0) {
                    out.print("\u001b[" + linesDrawn + "A\r" + CLEAR_TO_END);
                }
                StringWriter text = new StringWriter();
                PrintWriter table = new PrintWriter(text);
                table.printf("%s  %s%n", run.workflow(), run.state());
                WorkflowRunDetails.steps(run).print(table);
                table.flush();
                out.print(text);
                linesDrawn = (int) text.toString().lines().count();
            } else {
                for (WorkflowStepView step : run.steps()) {
                    if (!shown.contains(step)) {
                        out.printf("%-40s %-9s %s%s%n", step.key(), step.state(), step.attempt() > 1 ? "attempt "
                                + step.attempt() + " " : "", step.error() == null ? "" : step.error());
                    }
                }
                shown = run.steps();
            }
            out.flush();
            if (run.state().isTerminal()) {
                return run;
            }
            Thread.sleep(interval.toMillis());
        }
    }
}
