package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mlops jobs show}: GET /jobs/{id}. */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show one job: state and reason, configuration changes from the defaults, history, latest metrics.",
                "With --follow, stream its progress live until it ends (exit 0 if it COMPLETED, 1 otherwise)."})
final class JobsShowCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The job's id, or its first characters as 'jobs list' shows them.")
    String reference;

    @Mixin FollowOptions follow;

    @Mixin ApiOptions api;

    @Override
    public Integer call() throws InterruptedException {
        ApiClient client = api.reader();
        if (follow.enabled && !api.json()) {
            JobView last = new JobFollower(client, api.out(), System.console() != null,
                    follow.pollInterval()).follow(ApiReferences.job(client, reference));
            api.out().println();
            JobDetails.print(last, api.out());
            return last.state() == JobState.COMPLETED ? 0 : 1;
        }
        ApiResponse<JobView> response = client.job(ApiReferences.job(client, reference));
        if (api.json()) {
            api.printJson(response.json());
        } else {
            JobDetails.print(response.body(), api.out());
        }
        return 0;
    }
}
