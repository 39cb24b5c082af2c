package dev.resnetops.cli.platform;

import dev.resnetops.cli.EnumConverters;
import dev.resnetops.cli.TextTable;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.Page;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops jobs list}: GET /jobs, one page as a table. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List training jobs with their state and latest test top-1.")
final class JobsListCommand implements Callable<Integer> {

    @Option(names = "--state", paramLabel = "STATE", converter = EnumConverters.JobStateConverter.class,
            description = "Only jobs in this state: queued, running, completed, failed or cancelled.")
    JobState state;

    @Mixin PageOptions paging;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        paging.validate();
        ApiResponse<Page<JobView>> response = api.reader().jobs(state, paging.page, paging.size);
        if (api.json()) {
            api.printJson(response.json());
            return 0;
        }
        Page<JobView> page = response.body();
        if (page.items().isEmpty() && page.total() == 0) {
            api.out().println(state == null ? "no jobs yet; submit one with: mlops jobs submit --dataset NAME"
                    : "no " + state.name().toLowerCase() + " jobs");
            api.out().flush();
            return 0;
        }
        Instant now = Instant.now();
        TextTable table = TextTable.withColumns("id", "model", "state", "dataset", "epoch", "top-1", "created", "age")
                .alignRight("epoch", "top-1", "age");
        for (JobView job : page.items()) {
            table.row(ApiDisplay.shortId(job.id()), job.model(), job.state() + (job.cancelRequested()
                            && !job.state().isTerminal() ? " (cancelling)" : ""), ApiDisplay.shortId(job.datasetId()),
                    JobDetails.epochProgress(job), job.latestMetrics() == null ? null
                            : ApiDisplay.percent(job.latestMetrics().valTop1()),
                    ApiDisplay.time(job.createdAt()), ApiDisplay.age(job.createdAt(), now));
        }
        table.print(api.out());
        paging.printFooter(api.out(), page, "jobs");
        return 0;
    }
}
