package dev.resnetops.cli.platform;

import dev.resnetops.cli.TextTable;
import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.ModelVersionView;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mlops models registered}: GET /models or /models/{name}. */
@Command(name = "registered", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List registered model versions with their test Top-1/Top-5, parity verdict and aliases.")
public final class ModelsRegisteredCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "Only this registered model.")
    String model;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        ApiClient client = api.reader();
        ApiResponse<List<ModelVersionView>> response = client.modelVersions(model);
        if (api.json()) {
            api.printJson(response.json());
            return 0;
        }
        TextTable table = TextTable.withColumns("model", "version", "top-1", "top-5", "parity", "aliases", "job", "created");
        for (ModelVersionView v : response.body()) {
            table.row(v.model(), v.version(), percent(v.top1()), percent(v.top5()), v.parityPassed() ? "passed" : "FAILED",
                    String.join(",", v.aliases()), ApiDisplay.shortId(v.jobId()), ApiDisplay.time(v.createdAt()));
        }
        if (table.isEmpty()) {
            api.out().println("no registered model versions yet (the evaluator registers one per completed job)");
        } else {
            table.print(api.out(), "");
        }
        api.out().flush();
        return 0;
    }

    static String percent(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
