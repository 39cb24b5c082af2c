package dev.resnetops.inference.observability;

import dev.resnetops.inference.stream.DeadLetterKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The service's Prometheus metrics (on /q/metrics): images by source and outcome, batch sizes,
 * latency histograms, dead letters by reason kind. The served version is a gauge of
 * {@link dev.resnetops.inference.model.ModelHolder}.
 */
@ApplicationScoped
public class InferenceMetrics {

    /** Where an image came from. */
    public enum Source { REST, STREAM }

    private final MeterRegistry registry;
    private final DistributionSummary batchSizes;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Source, Timer> inference = new ConcurrentHashMap<>();
    private final Timer restLatency;
    private final Timer streamQueueing;
    private final Timer streamCommit;
    private final Timer streamLatency;
    private final DistributionSummary restBatchSizes;
    private final Timer restQueueing;

    InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchSizes = DistributionSummary.builder("inference_batch_size")
                .description("Images per model call on the stream").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(1024.0).register(registry);
        this.restLatency = latency("inference_rest_latency", "POST /classify, from the request body read to the answer");
        this.streamQueueing = latency("inference_stream_queueing",
                "Streamed images, from the image record's timestamp to the start of its batch");
        this.streamCommit = latency("inference_stream_commit",
                "The stream's Kafka transactions (predictions, dead letters and input offsets), begin to committed");
        this.streamLatency = latency("inference_stream_latency",
                "Streamed images, from the image record's timestamp to its prediction committed");
        this.restBatchSizes = DistributionSummary.builder("inference_rest_batch_size")
                .description("Images per model call for POST /classify (dynamic batching; 1 while it is off)")
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(1024.0).register(registry);
        this.restQueueing = latency("inference_rest_queue_wait",
                "POST /classify, from the image queued (decoded and preprocessed) to the start of its batch");
        // Registered at zero, so a dashboard or alert sees the series before the first dead letter.
        for (DeadLetterKind kind : DeadLetterKind.values()) {
            counter("inference_dead_letters", "kind", kind.label(), null, null);
        }
        for (Source source : Source.values()) {
            inference.put(source, Timer.builder("inference_model_time")
                    .description("Time inside the model per call (a batch of images)")
                    .tag("source", source.name().toLowerCase()).publishPercentileHistogram()
                    .register(registry));
        }
    }

    private Timer latency(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    public void classified(Source source, int images) {
        counter("inference_images", "source", source, "outcome", "classified").increment(images);
    }

    public void rejected(Source source) {
        counter("inference_images", "source", source, "outcome", "rejected").increment();
    }

    /** A streamed image sent to the dead-letter topic; {@code kind} is a short fixed label, the full reason is in the record. */
    public void deadLettered(DeadLetterKind kind) {
        counter("inference_dead_letters", "kind", kind.label(), null, null).increment();
    }

    public void batch(int size, Duration modelTime) {
        batchSizes.record(size);
        inference.get(Source.STREAM).record(modelTime);
    }

    /** One model call for a batch of {@code POST /classify} images. */
    public void restBatch(int size, Duration modelTime) {
        restBatchSizes.record(size);
        inference.get(Source.REST).record(modelTime);
    }

    /** How long one {@code POST /classify} image waited in the queue for its batch to start. */
    public void restQueued(Duration waited) {
        restQueueing.record(nonNegative(waited));
    }

    public void restRequest(Duration total) {
        restLatency.record(total);
    }

    /** The {@code POST /classify} images waiting for a batch, as a gauge. */
    public void restQueueDepth(IntSupplier depth) {
        Gauge.builder("inference_rest_queue_depth", depth, IntSupplier::getAsInt)
                .description("POST /classify images queued for a batch").strongReference(true).register(registry);
    }

    /** How long a streamed image waited between its record's timestamp and the start of its batch. */
    public void queued(Duration waited) {
        streamQueueing.record(nonNegative(waited));
    }

    /** One stream transaction, from its begin to its commit returning. */
    public void committed(Duration took) {
        streamCommit.record(took);
    }

    /** A streamed image answered: from its record's timestamp to its transaction committed. */
    public void answered(Duration total) {
        streamLatency.record(nonNegative(total));
    }

    /** Record timestamps come from the producer's clock, which may be ahead of ours. */
    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private Counter counter(String name, String k1, Object v1, String k2, String v2) {
        String value1 = v1 instanceof Source s ? s.name().toLowerCase() : String.valueOf(v1);
        String key = name + '|' + value1 + '|' + v2;
        return counters.computeIfAbsent(key, k -> {
            Counter.Builder builder = Counter.builder(name).tag(k1, value1);
            if (k2 != null) {
                builder.tag(k2, v2);
            }
            return builder.register(registry);
        });
    }
}
