package dev.resnetops.cli.platform;

import dev.resnetops.cli.ProgressPrinter;
import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiException;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.cli.client.ServerSentEvent;
import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.DatasetView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.UUID;

/**
 * Waits until a dataset's ingestion is over (READY or FAILED), with a line on each change and one every
 * ten seconds while it lasts. It listens to the dataset's live events ({@code GET /datasets/{id}/events})
 * and polls every {@code poll} where they are not to be had (an older platform, a broken stream).
 */
final class IngestionWaiter {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final String name;
    private final PrintWriter progress;
    private final long start = System.nanoTime();
    private long lastLine = start;
    private DatasetStatus reported;

    private IngestionWaiter(String name, DatasetStatus registered, PrintWriter progress) {
        this.name = name;
        this.progress = progress;
        this.reported = registered;
    }

    static ApiResponse<DatasetView> await(ApiClient client, ApiResponse<DatasetView> registered, String name,
                                          Duration poll, PrintWriter progress) throws InterruptedException {
        DatasetView dataset = registered.body();
        progress.printf("dataset %s (%s): %s%n", name, ApiDisplay.shortId(dataset.id()), dataset.status());
        progress.flush();
        if (dataset.status() != DatasetStatus.INGESTING) {
            return registered;
        }
        IngestionWaiter waiter = new IngestionWaiter(name, dataset.status(), progress);
        try {
            client.datasetEvents(dataset.id(), waiter::onEvent);
        } catch (ApiException e) {
            // No stream (an older platform) or a broken one: polling below finds out where it is.
        }
        return waiter.poll(client, dataset.id(), poll);
    }

    private void onEvent(ServerSentEvent event) {
        if (event.name().equals("dataset")) {
            report(DatasetStatus.valueOf(event.data().path("status").asText()));
        } else {
            report(reported); // DatasetReady/Failed are followed by the snapshot; a heartbeat may be due a line
        }
    }

    /** Until ingestion is over; after a live stream that is one request, which returns the final dataset. */
    private ApiResponse<DatasetView> poll(ApiClient client, UUID id, Duration every) throws InterruptedException {
        while (true) {
            ApiResponse<DatasetView> current = client.dataset(id);
            report(current.body().status());
            if (current.body().status() != DatasetStatus.INGESTING) {
                return current;
            }
            Thread.sleep(every.toMillis());
        }
    }

    private void report(DatasetStatus status) {
        long now = System.nanoTime();
        if (status != reported || now - lastLine >= PROGRESS_EVERY.toNanos()) {
            progress.printf("dataset %s: %s after %s%n", name, status,
                    ProgressPrinter.formatDuration((now - start) / 1e9));
            progress.flush();
            reported = status;
            lastLine = now;
        }
    }
}
