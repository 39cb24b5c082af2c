package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.StartWorkflowRequest;
import dev.resnetops.contracts.api.WorkflowRunView;
import dev.resnetops.contracts.api.WorkflowSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlops workflows run}: POST /workflows/{name}/runs with typed parameter overrides. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a workflow on the platform. --set values are converted to the parameter's declared type"
                + " (see 'mlops workflows list') and checked there before anything is sent.",
                "With --follow, show the steps live until the run ends (exit 0 if it COMPLETED, 1 otherwise)."})
final class WorkflowsRunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The workflow, e.g. paper-ablation.")
    String name;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "A parameter override; repeat for more.")
    List<String> assignments = new ArrayList<>();

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Makes resubmitting safe: the same key returns the first run (default: a new random key).")
    String idempotencyKey;

    @Mixin FollowOptions follow;

    @Mixin ApiOptions api;

    @Override
    public Integer call() throws InterruptedException {
        ApiClient client = api.writer();
        WorkflowSummary workflow = client.workflows().body().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the platform has no workflow '" + name
                        + "'; see 'mlops workflows list'"));
        Map<String, Object> parameters = WorkflowParameterValues.convert(workflow, assignments);
        ApiResponse<WorkflowRunView> response = client.startWorkflow(name, new StartWorkflowRequest(parameters),
                IdempotencyKeys.orRandom(idempotencyKey));
        WorkflowRunView run = response.body();
        if (api.json()) {
            api.printJson(response.json());
            return 0;
        }
        api.out().printf("%s workflow run %s of %s: %d steps%n", response.status() == 200
                ? "this idempotency key was used before; the first run is" : "started", run.id(), name, run.steps().size());
        if (!follow.enabled) {
            api.out().printf("follow it with: mlops workflows show %s --follow%n", ApiDisplay.shortId(run.id()));
            api.out().flush();
            return 0;
        }
        return WorkflowFollower.followAndReport(client, api.out(), follow, run.id());
    }
}
