package dev.resnetops.cli.platform;

import dev.resnetops.cli.UserErrorHandler;
import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.RegisterDatasetRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlops datasets add}: POST /datasets, optionally waiting for ingestion to finish. */
@Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Register a dataset: the platform ingests it (validates, quarantines bad files, packs shards) "
                + "in the background.", "Exit code 2 when it was refused or, with --wait, when ingestion failed."})
final class DatasetsAddCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME",
            description = "Short name (letters, digits, '.', '_', '-'); jobs may refer to the dataset by it.")
    String name;

    @Parameters(index = "1", paramLabel = "SOURCE",
            description = "A path on the server: a folder of IDX files, an ImageFolder tree or CIFAR batches, "
                    + "or a .tar, .tar.gz/.tgz or .zip archive of one.")
    String source;

    @Option(names = "--wait", description = "Poll until the dataset is READY or FAILED, then show it.")
    boolean await;

    @Option(names = "--poll-interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between polls with --wait (default: ${DEFAULT-VALUE}).")
    double pollSeconds;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Makes re-registering safe: the same key returns the first registration (default: a new "
                    + "random key, reused when this command retries a request that timed out).")
    String idempotencyKey;

    @Mixin ApiOptions api;

    @Override
    public Integer call() throws InterruptedException {
        if (!(pollSeconds > 0)) {
            throw new IllegalArgumentException("--poll-interval must be positive, got " + pollSeconds);
        }
        String key = IdempotencyKeys.orRandom(idempotencyKey);
        ApiClient client = api.writer();
        ApiResponse<DatasetView> registered = client.registerDataset(new RegisterDatasetRequest(name, source), key);
        DatasetView dataset = registered.body();
        boolean replayed = registered.status() == 200;
        PrintWriter notes = api.json() || await ? api.err() : api.out();
        if (replayed) {
            notes.printf("this idempotency key was used before: nothing new was registered; the first registration "
                    + "is dataset %s as %s (%s)%n", dataset.name(), dataset.id(), dataset.status());
        } else if (!api.json() && !await) {
            notes.printf("registered dataset %s as %s (%s)%n", dataset.name(), dataset.id(), dataset.status());
        }
        notes.flush();
        if (!await) {
            if (api.json()) {
                api.printJson(registered.json());
            } else {
                api.out().printf("follow it with: mlops datasets show %s%n", ApiDisplay.shortId(dataset.id()));
                api.out().flush();
            }
            return 0;
        }
        ApiResponse<DatasetView> last = IngestionWaiter.await(client, registered, name,
                Duration.ofMillis(Math.round(pollSeconds * 1000)), api.err());
        if (api.json()) {
            api.printJson(last.json());
        } else {
            DatasetDetails.print(last.body(), api.out());
        }
        return last.body().status() == DatasetStatus.FAILED ? UserErrorHandler.USER_ERROR : 0;
    }
}
