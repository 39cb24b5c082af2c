package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.JobView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mlops jobs cancel}: POST /jobs/{id}/cancel. */
@Command(name = "cancel", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cancel a job: a queued job never starts, a running one stops at its next step.")
final class JobsCancelCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The job's id, or its first characters as 'jobs list' shows them.")
    String reference;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        ApiClient client = api.writer();
        ApiResponse<JobView> response = client.cancelJob(ApiReferences.job(client, reference));
        JobView job = response.body();
        if (api.json()) {
            api.printJson(response.json());
        } else if (job.state().isTerminal()) {
            api.out().printf("job %s is %s%n", job.id(), job.state());
        } else {
            api.out().printf("cancel requested for job %s (%s); it moves to CANCELLED when its worker stops it; "
                    + "check with: mlops jobs show %s%n", job.id(), job.state(), ApiDisplay.shortId(job.id()));
        }
        api.out().flush();
        return 0;
    }
}
