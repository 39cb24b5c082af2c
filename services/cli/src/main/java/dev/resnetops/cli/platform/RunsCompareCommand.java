package dev.resnetops.cli.platform;

import dev.resnetops.cli.TextTable;
import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.contracts.api.JobView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mlops runs compare}: the configuration fields that differ between jobs and their Top-1/Top-5,
 * one column per job, and the MLflow compare-view URL of the same runs.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare jobs: configuration differences, Top-1/Top-5 (last validation), and the MLflow compare URL.")
final class RunsCompareCommand implements Callable<Integer> {

    @Parameters(arity = "2..*", paramLabel = "JOB", description = "Two or more job ids (or their first characters).")
    List<String> references;

    @Option(names = "--mlflow", paramLabel = "URL", description = "MLflow UI address (default: $MLOPS_MLFLOW_URL,"
            + " else MLOPS_MLFLOW_URL in $MLOPS_HOME/infra/infra.env, else http://127.0.0.1:5000).")
    String mlflow;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        ApiClient client = api.reader();
        List<JobView> jobs = new ArrayList<>();
        for (String reference : references) {
            jobs.add(client.job(ApiReferences.job(client, reference)).body());
        }
        List<String> headers = new ArrayList<>(List.of(""));
        jobs.forEach(j -> headers.add(ApiDisplay.shortId(j.id())));
        TextTable table = TextTable.withColumns(headers.toArray(String[]::new));
        row(table, "model", jobs, JobView::model);
        row(table, "state", jobs, j -> j.state().name());
        for (String field : differingFields(jobs)) {
            row(table, field, jobs, j -> j.config() == null || !j.config().has(field) ? "-" : j.config().get(field).asText());
        }
        row(table, "epochs done", jobs, j -> j.latestMetrics() == null ? "-" : String.valueOf(j.latestMetrics().epoch()));
        row(table, "top-1", jobs, j -> percent(j.latestMetrics() == null ? null : j.latestMetrics().valTop1()));
        row(table, "top-5", jobs, j -> percent(j.latestMetrics() == null ? null : j.latestMetrics().valTop5()));
        row(table, "img/s", jobs, j -> j.latestMetrics() == null ? "-"
                : String.format(Locale.ROOT, "%.1f", j.latestMetrics().imagesPerSecond()));
        table.print(api.out(), "");
        String url = MlflowLinks.compareRuns(mlflow != null ? mlflow
                : ApiSettings.mlflowUrl(ApiOptions.environment, Path.of("").toAbsolutePath()), jobs);
        api.out().println();
        api.out().println(url != null ? "MLflow: " + url : "MLflow: not every job has a run yet");
        api.out().flush();
        return 0;
    }

    /** Config fields whose value is not the same in every job (the rest is noise in a comparison). */
    private static Set<String> differingFields(List<JobView> jobs) {
        Set<String> fields = new LinkedHashSet<>();
        for (JobView j : jobs) {
            if (j.config() != null) {
                for (Iterator<String> names = j.config().fieldNames(); names.hasNext(); ) {
                    fields.add(names.next());
                }
            }
        }
        fields.removeIf(f -> jobs.stream().map(j -> j.config() == null ? null : String.valueOf(j.config().get(f)))
                .distinct().count() == 1);
        fields.remove("model");
        return fields;
    }

    private static void row(TextTable table, String name, List<JobView> jobs,
                            java.util.function.Function<JobView, String> value) {
        List<Object> cells = new ArrayList<>(List.of(name));
        jobs.forEach(j -> cells.add(value.apply(j)));
        table.row(cells.toArray());
    }

    private static String percent(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
