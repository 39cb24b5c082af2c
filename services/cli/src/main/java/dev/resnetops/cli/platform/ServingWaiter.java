package dev.resnetops.cli.platform;

import dev.resnetops.cli.ProgressPrinter;
import dev.resnetops.cli.client.ApiException;
import dev.resnetops.cli.client.InferenceClient;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Waits until the inference service serves a given version with its image stream running: it notices
 * a promotion from the registry (an alias event, or its next registry poll) and loads the ONNX file
 * before it swaps, so this takes seconds, not minutes.
 */
final class ServingWaiter {

    private static final Duration POLL = Duration.ofSeconds(2);

    private ServingWaiter() {}

    static void await(InferenceClient inference, int version, Duration timeout, PrintWriter out)
            throws InterruptedException {
        long start = System.nanoTime();
        String reported = "";
        while (true) {
            String state;
            boolean done = false;
            try {
                InferenceClient.Readiness r = inference.readiness();
                done = r.modelLoaded() && r.version() == version && "RUNNING".equals(r.stream());
                if ("DISABLED".equals(r.stream())) {
                    throw new DemoFailedException("the inference service at " + inference.baseUrl() + " has its image "
                            + "stream disabled (mlops.inference.stream.enabled=false); the demo streams through Kafka");
                }
                state = !r.modelLoaded() ? "no model loaded yet" + (r.detail().isBlank() ? "" : " (" + r.detail() + ")")
                        : "serving version " + r.version() + ", stream " + r.stream()
                                + (r.detail().isBlank() || "RUNNING".equals(r.stream()) ? "" : " (" + r.detail() + ")");
            } catch (ApiException e) {
                state = "not reachable yet (" + e.getMessage() + ")";
            }
            if (!state.equals(reported)) {
                out.printf("inference: %s after %s%n", state, ProgressPrinter.formatDuration((System.nanoTime() - start) / 1e9));
                out.flush();
                reported = state;
            }
            if (done) {
                return;
            }
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new DemoFailedException("the inference service at " + inference.baseUrl() + " did not serve "
                        + "version " + version + " within " + ProgressPrinter.formatDuration(timeout.toSeconds())
                        + " (last: " + state + "); see ./mlops logs inference");
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
