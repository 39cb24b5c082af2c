package dev.resnetops.cli.platform;

import dev.resnetops.cli.TextTable;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.api.WorkflowParameterView;
import dev.resnetops.contracts.api.WorkflowRunView;
import dev.resnetops.contracts.api.WorkflowSummary;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops workflows list}: GET /workflows (the catalog), or GET /workflows/runs with --runs. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List the workflows the platform can run with their parameters and defaults, or with --runs the"
                + " workflow runs, newest first.")
final class WorkflowsListCommand implements Callable<Integer> {

    @Option(names = "--runs", description = "List workflow runs instead of workflows.")
    boolean runs;

    @Mixin PageOptions paging;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        return runs ? listRuns() : listWorkflows();
    }

    private int listWorkflows() {
        ApiResponse<List<WorkflowSummary>> response = api.reader().workflows();
        if (api.json()) {
            api.printJson(response.json());
            return 0;
        }
        for (WorkflowSummary workflow : response.body()) {
            api.out().printf("%s%n", workflow.name());
            if (workflow.description() != null) {
                api.out().printf("  %s%n", workflow.description());
            }
            workflow.problems().forEach(problem -> api.out().printf("  BROKEN: %s%n", problem));
            if (!workflow.parameters().isEmpty()) {
                api.out().printf("  parameters: %s%n", workflow.parameters().stream().map(WorkflowsListCommand::parameter)
                        .collect(Collectors.joining(", ")));
            }
        }
        api.out().println("run one with: mlops workflows run NAME [--set name=value ...] --follow");
        api.out().flush();
        return 0;
    }

    private int listRuns() {
        paging.validate();
        ApiResponse<Page<WorkflowRunView>> response = api.reader().workflowRuns(null, paging.page, paging.size);
        if (api.json()) {
            api.printJson(response.json());
            return 0;
        }
        Page<WorkflowRunView> page = response.body();
        Instant now = Instant.now();
        TextTable table = TextTable.withColumns("id", "workflow", "state", "created", "age").alignRight("age");
        for (WorkflowRunView run : page.items()) {
            table.row(ApiDisplay.shortId(run.id()), run.workflow(), run.state(), ApiDisplay.time(run.createdAt()),
                    ApiDisplay.age(run.createdAt(), now));
        }
        table.print(api.out());
        paging.printFooter(api.out(), page, "workflow runs");
        return 0;
    }

    private static String parameter(WorkflowParameterView p) {
        return p.name() + " (" + p.type() + (p.defaultValue() == null ? ", required" : " = " + p.defaultValue()) + ")";
    }
}
