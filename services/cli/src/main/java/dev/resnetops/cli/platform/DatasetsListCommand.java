package dev.resnetops.cli.platform;

import static dev.resnetops.cli.platform.ApiDisplay.count;

import dev.resnetops.cli.TextTable;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.DatasetVersionView;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.Page;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops datasets list}: GET /datasets, one page as a table. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List registered datasets with their status, image counts and content hash.")
final class DatasetsListCommand implements Callable<Integer> {

    @Mixin PageOptions paging;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        paging.validate();
        ApiResponse<Page<DatasetView>> response = api.reader().datasets(paging.page, paging.size);
        if (api.json()) {
            api.printJson(response.json());
            return 0;
        }
        Page<DatasetView> page = response.body();
        if (page.items().isEmpty() && page.total() == 0) {
            api.out().println("no datasets yet; register one with: mlops datasets add NAME SOURCE");
            api.out().flush();
            return 0;
        }
        TextTable table = TextTable.withColumns("id", "name", "status", "train", "test", "classes", "hash", "created")
                .alignRight("train", "test", "classes");
        for (DatasetView d : page.items()) {
            DatasetVersionView v = d.version();
            table.row(ApiDisplay.shortId(d.id()), d.name(), d.status(),
                    v == null || v.counts() == null ? null : count(v.counts().get("train")),
                    v == null || v.counts() == null ? null : count(v.counts().get("test")),
                    v == null || v.classes() == null ? null : v.classes().size(),
                    v == null ? null : ApiDisplay.shortHash(v.contentHash()),
                    ApiDisplay.time(d.createdAt()));
        }
        table.print(api.out());
        paging.printFooter(api.out(), page, "datasets");
        return 0;
    }
}
