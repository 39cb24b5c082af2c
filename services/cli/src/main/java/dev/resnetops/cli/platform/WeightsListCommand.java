package dev.resnetops.cli.platform;

import dev.resnetops.cli.TextTable;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.WeightsView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mlops weights list}: GET /weights. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the weights files uploaded to the platform, newest first.")
public final class WeightsListCommand implements Callable<Integer> {

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        ApiResponse<List<WeightsView>> response = api.reader().weights();
        if (api.json()) {
            api.printJson(response.json());
            return 0;
        }
        if (response.body().isEmpty()) {
            api.out().println("no weights uploaded yet: mlops weights upload NAME FILE");
            api.out().flush();
            return 0;
        }
        TextTable table = TextTable.withColumns("init", "format", "tensors", "bytes", "sha256", "uploaded")
                .alignRight("tensors", "bytes");
        for (WeightsView w : response.body()) {
            table.row(w.init(), w.format(), w.tensors(), w.sizeBytes(), w.sha256().substring(0, 12), w.createdAt());
        }
        table.print(api.out());
        api.out().flush();
        return 0;
    }
}
