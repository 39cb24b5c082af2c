package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.JobView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mlops jobs show}: GET /jobs/{id}. */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show one job: state and reason, configuration changes from the defaults, history, latest metrics.")
final class JobsShowCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The job's id, or its first characters as 'jobs list' shows them.")
    String reference;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        ApiClient client = api.reader();
        ApiResponse<JobView> response = client.job(ApiReferences.job(client, reference));
        if (api.json()) {
            api.printJson(response.json());
        } else {
            JobDetails.print(response.body(), api.out());
        }
        return 0;
    }
}
