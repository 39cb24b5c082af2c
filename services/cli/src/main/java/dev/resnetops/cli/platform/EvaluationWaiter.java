package dev.resnetops.cli.platform;

import dev.resnetops.cli.ProgressPrinter;
import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiException;
import dev.resnetops.contracts.api.ModelVersionView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Waits for the evaluator to register a model version for each job: it tests every completed job on
 * the whole test split and exports it to ONNX first, which takes minutes on a CPU.
 */
final class EvaluationWaiter {

    private static final Duration POLL = Duration.ofSeconds(5);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(60);

    private EvaluationWaiter() {}

    /** The version registered for each job, in the order of {@code jobs}. */
    static Map<UUID, ModelVersionView> await(ApiClient client, String model, List<UUID> jobs, Duration timeout,
                                             PrintWriter out) throws InterruptedException {
        long start = System.nanoTime();
        long lastLine = start;
        Set<UUID> shown = new HashSet<>();
        while (true) {
            Map<UUID, ModelVersionView> found = registered(client, model, jobs);
            long now = System.nanoTime();
            boolean changed = false;
            for (ModelVersionView v : found.values()) {
                if (shown.add(v.jobId())) {
                    changed = true;
                    out.printf("  %s version %d: job %s, test top-1 %s, top-5 %s, ONNX parity %s%n", model, v.version(),
                            ApiDisplay.shortId(v.jobId()), ModelsRegisteredCommand.percent(v.top1()),
                            ModelsRegisteredCommand.percent(v.top5()), v.parityPassed() ? "passed" : "FAILED");
                }
            }
            if (changed || now - lastLine >= PROGRESS_EVERY.toNanos()) {
                out.printf("evaluator: %d of %d versions registered after %s%n", found.size(), jobs.size(),
                        ProgressPrinter.formatDuration((now - start) / 1e9));
                out.flush();
                lastLine = now;
            }
            if (found.size() == jobs.size()) {
                return found;
            }
            if (now - start > timeout.toNanos()) {
                throw new DemoFailedException("the evaluator registered " + found.size() + " of " + jobs.size()
                        + " versions within " + ProgressPrinter.formatDuration(timeout.toSeconds()) + "; see "
                        + "./mlops logs evaluator, or wait longer with --evaluation-timeout");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static Map<UUID, ModelVersionView> registered(ApiClient client, String model, List<UUID> jobs) {
        List<ModelVersionView> versions;
        try {
            versions = client.modelVersions(model).body();
        } catch (ApiException e) {
            if (e.status() == 404) {
                return Map.of(); // the registered model is created with its first version
            }
            throw e;
        }
        Map<UUID, ModelVersionView> found = new LinkedHashMap<>();
        for (UUID job : jobs) {
            versions.stream().filter(v -> job.equals(v.jobId())).findFirst().ifPresent(v -> found.put(job, v));
        }
        return found;
    }
}
