package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.WorkflowRunView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mlops workflows show}: GET /workflows/runs/{id}. */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show a workflow run: every step with its state, attempt, job and outputs; the result table when"
                + " it has ended.", "With --follow, show the steps live until it ends (exit 0 if it COMPLETED)."})
final class WorkflowsShowCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The run's id, or its first characters.")
    String reference;

    @Mixin FollowOptions follow;

    @Mixin ApiOptions api;

    @Override
    public Integer call() throws InterruptedException {
        ApiClient client = api.reader();
        if (follow.enabled && !api.json()) {
            return WorkflowFollower.followAndReport(client, api.out(), follow,
                    ApiReferences.workflowRun(client, reference));
        }
        ApiResponse<WorkflowRunView> response = client.workflowRun(ApiReferences.workflowRun(client, reference));
        if (api.json()) {
            api.printJson(response.json());
        } else {
            WorkflowRunDetails.print(response.body(), api.out());
        }
        return 0;
    }
}
