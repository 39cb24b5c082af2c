package dev.resnetops.cli.platform;

import dev.resnetops.cli.ProgressPrinter;
import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.DatasetView;
import java.io.PrintWriter;
import java.time.Duration;

/** Polls a dataset registration until ingestion is over (READY or FAILED), with a line on each change. */
final class IngestionWaiter {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private IngestionWaiter() {}

    static ApiResponse<DatasetView> await(ApiClient client, ApiResponse<DatasetView> registered, String name,
                                          Duration poll, PrintWriter progress) throws InterruptedException {
        long start = System.nanoTime();
        long lastLine = start;
        ApiResponse<DatasetView> current = registered;
        DatasetStatus reported = current.body().status();
        progress.printf("dataset %s (%s): %s%n", name, ApiDisplay.shortId(current.body().id()), reported);
        progress.flush();
        while (current.body().status() == DatasetStatus.INGESTING) {
            Thread.sleep(poll.toMillis());
            current = client.dataset(current.body().id());
            long now = System.nanoTime();
            DatasetStatus status = current.body().status();
            if (status != reported || now - lastLine >= PROGRESS_EVERY.toNanos()) {
                progress.printf("dataset %s: %s after %s%n", name, status,
                        ProgressPrinter.formatDuration((now - start) / 1e9));
                progress.flush();
                reported = status;
                lastLine = now;
            }
        }
        return current;
    }
}
