package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.RegisterDatasetRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The demo's dataset: the newest READY registration of the name is reused, one still ingesting is
 * waited for, and only when there is neither is the source registered. A re-run therefore neither
 * ingests again nor fails on a name that is already taken.
 */
final class DemoDataset {

    private static final Duration POLL = Duration.ofSeconds(2);

    private DemoDataset() {}

    static DatasetView ensure(ApiClient client, String name, String source, PrintWriter out) throws InterruptedException {
        List<DatasetView> named = ApiReferences.all(page -> client.datasets(page, 100).body()).stream()
                .filter(d -> name.equals(d.name()))
                .sorted(Comparator.comparing(DatasetView::createdAt, Comparator.nullsFirst(Comparator.reverseOrder())))
                .toList();
        Optional<DatasetView> ready = named.stream().filter(d -> d.status() == DatasetStatus.READY).findFirst();
        if (ready.isPresent()) {
            out.printf("dataset %s is already registered and READY (%s); reusing it%n", name,
                    ApiDisplay.shortId(ready.get().id()));
            out.flush();
            return ready.get();
        }
        Optional<DatasetView> ingesting = named.stream().filter(d -> d.status() == DatasetStatus.INGESTING).findFirst();
        ApiResponse<DatasetView> registration = ingesting.isPresent() ? client.dataset(ingesting.get().id())
                : client.registerDataset(new RegisterDatasetRequest(name, source), IdempotencyKeys.orRandom(null));
        if (ingesting.isEmpty()) {
            out.printf("registered %s from %s; the ingestion service validates and packs it%n", name, source);
        }
        DatasetView done = IngestionWaiter.await(client, registration, name, POLL, out).body();
        if (done.status() != DatasetStatus.READY) {
            throw new DemoFailedException("ingesting " + name + " from " + source + " failed: " + done.error()
                    + " (./mlops datasets show " + ApiDisplay.shortId(done.id()) + ")");
        }
        return done;
    }
}
