package dev.resnetops.cli.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.resnetops.cli.client.ApiException;
import dev.resnetops.cli.client.InferenceClient;
import dev.resnetops.cli.stream.LatencyDistribution;
import dev.resnetops.cli.stream.StreamImage;
import dev.resnetops.cli.stream.StreamInput;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlops benchmark-rest}: the inference service's {@code POST /classify} under C concurrent clients,
 * each sending its next image as soon as its previous answer came back (closed loop), for each C asked
 * for. Concurrency 1 is one client sending one image at a time; the ratio of the two throughputs is what
 * the service's dynamic batching gains (services/inference/bench/classify-benchmark.sh runs it with
 * batching on and off, alternating).
 */
@Command(name = "benchmark-rest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Throughput and latency of the inference service's POST /classify with concurrent clients.",
                "The service's rate limit must allow it (MLOPS_CLASSIFY_RATE_PER_SECOND=0 turns it off)."})
public final class ClassifyBenchmarkCommand implements Callable<Integer> {

    @Option(names = "--images", paramLabel = "PATH", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "A dataset folder (its test split, PNG-encoded) or a folder of images; default ${DEFAULT-VALUE}.")
    Path images;

    @Option(names = "--limit", defaultValue = "640", description = "Requests per concurrency level; default ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,32", paramLabel = "C,C,...",
            description = "Concurrent clients, one run each; default ${DEFAULT-VALUE}.")
    List<Integer> concurrency;

    @Option(names = "--warm-up", defaultValue = "64", paramLabel = "N",
            description = "Images sent (8 clients) before measuring, not counted; default ${DEFAULT-VALUE}.")
    int warmUp;

    @Option(names = "--url", paramLabel = "URL", description = "Inference service URL (default: as for mlops classify).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "API token (default: as for mlops classify).")
    String token;

    @Option(names = "--json", description = "One JSON document on stdout.")
    boolean json;

    @Spec CommandSpec spec;

    /**
     * One concurrency level's numbers; latency is each request's round trip from this client.
     *
     * @param meanBatchSize the mean of the batch sizes the predictions name: how many images shared a model run
     */
    record Row(int concurrency, int requests, double seconds, double imagesPerSecond, double p50Millis,
               double p99Millis, double meanBatchSize, int failures, String firstFailure) {}

    @Override
    public Integer call() throws Exception {
        if (limit < 1 || warmUp < 0 || concurrency.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("need --limit >= 1, --warm-up >= 0 and every --concurrency >= 1, got"
                    + " --limit " + limit + " --warm-up " + warmUp + " --concurrency " + concurrency);
        }
        StreamInput input = StreamInput.open(images, limit);
        List<StreamImage> pngs = input.images();
        Path cwd = Path.of("").toAbsolutePath();
        String bearer = ApiSettings.resolve(null, token, ApiOptions.environment, cwd).token().orElse(null);
        InferenceClient client = new InferenceClient(ApiSettings.inferenceUrl(url, ApiOptions.environment, cwd), bearer,
                Duration.ofSeconds(60));
        PrintWriter err = spec.commandLine().getErr();
        err.println("benchmark-rest: " + input.description() + " to " + client.baseUrl());
        err.flush();
        // Warm-up: connections, the JIT on both sides, ONNX Runtime's first calls of each batch shape.
        if (warmUp > 0) {
            measure(client, pngs.subList(0, Math.min(pngs.size(), warmUp)), 8);
        }
        List<Row> rows = new ArrayList<>();
        for (int c : concurrency) {
            Row row = measure(client, pngs, c);
            rows.add(row);
            err.printf(Locale.ROOT, "benchmark-rest: %d clients: %.1f img/s%s%n", c, row.imagesPerSecond(),
                    row.failures() == 0 ? "" : ", " + row.failures() + " failed (" + row.firstFailure() + ")");
            err.flush();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        } else {
            out.printf("%12s %10s %10s %10s %12s %9s%n", "concurrency", "img/s", "p50 ms", "p99 ms", "mean batch",
                    "failures");
            for (Row r : rows) {
                out.printf(Locale.ROOT, "%12d %10.1f %10.1f %10.1f %12.1f %9d%n", r.concurrency(), r.imagesPerSecond(),
                        r.p50Millis(), r.p99Millis(), r.meanBatchSize(), r.failures());
            }
        }
        out.flush();
        return rows.stream().allMatch(r -> r.failures() == 0) ? 0 : 1;
    }

    /** Every image once, {@code clients} at a time, each client taking the next image when it got its answer. */
    private static Row measure(InferenceClient client, List<StreamImage> pngs, int clients) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong batchSizes = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                running.add(pool.submit(() -> {
                    for (int n = next.getAndIncrement(); n < pngs.size(); n = next.getAndIncrement()) {
                        StreamImage image = pngs.get(n);
                        try {
                            InferenceClient.Classified answer = client.classify(image.bytes(), "image/png", null);
                            latencies.add(answer.roundTripMillis());
                            batchSizes.addAndGet(answer.prediction().batchSize());
                        } catch (ApiException e) {
                            failures.add(image.name() + ": " + e.getMessage());
                        }
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int answered = latencies.size();
        LatencyDistribution latency = LatencyDistribution.of(answered == 0 ? List.of(0.0) : latencies);
        return new Row(clients, pngs.size(), seconds, answered / seconds, latency.percentile(50), latency.percentile(99),
                answered == 0 ? 0 : batchSizes.get() / (double) answered, failures.size(),
                failures.isEmpty() ? null : failures.peek());
    }
}
