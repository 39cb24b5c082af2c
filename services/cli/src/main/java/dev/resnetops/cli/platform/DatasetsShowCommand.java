package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.DatasetView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mlops datasets show}: GET /datasets/{id}, by id, id prefix or name. */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show one dataset: images per split and class, normalisation, shards, quarantined files, "
                + "and the error if ingestion failed.")
final class DatasetsShowCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID_OR_NAME",
            description = "The dataset's id (or its first characters, as 'datasets list' shows), or its name "
                    + "(the newest registration with that name).")
    String reference;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        ApiClient client = api.reader();
        ApiResponse<DatasetView> response = client.dataset(ApiReferences.dataset(client, reference));
        if (api.json()) {
            api.printJson(response.json());
        } else {
            DatasetDetails.print(response.body(), api.out());
        }
        return 0;
    }
}
