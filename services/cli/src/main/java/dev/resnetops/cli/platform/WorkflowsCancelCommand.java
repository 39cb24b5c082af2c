package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.WorkflowRunView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mlops workflows cancel}: POST /workflows/runs/{id}/cancel. */
@Command(name = "cancel", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cancel a workflow run: its running trainings are cancelled, its unfinished steps end.")
final class WorkflowsCancelCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The run's id, or its first characters.")
    String reference;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        ApiClient client = api.writer();
        ApiResponse<WorkflowRunView> response = client.cancelWorkflowRun(ApiReferences.workflowRun(client, reference));
        if (api.json()) {
            api.printJson(response.json());
        } else {
            WorkflowRunDetails.print(response.body(), api.out());
        }
        return 0;
    }
}
