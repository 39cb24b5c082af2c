package dev.resnetops.inference.service;

import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.inference.config.InferenceConfig;
import dev.resnetops.inference.model.LoadedModel;
import dev.resnetops.inference.model.ModelHolder;
import dev.resnetops.inference.model.ModelLease;
import dev.resnetops.inference.model.NoModelException;
import dev.resnetops.inference.observability.InferenceMetrics;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageRejectedException;
import dev.resnetops.onnx.runtime.ImageResult;
import dev.resnetops.onnx.runtime.PreparedImage;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * Classifies images for {@code POST /classify} with the model served now, batching concurrent requests
 * ({@link InferenceConfig.RestBatching}). The request's thread takes a {@link ModelLease}, decodes and
 * preprocesses the image with that model (a bad image is refused here, for its caller alone), then queues
 * it; the {@link ClassifyBatchQueue} runs queued images of the same model in one ONNX Runtime call and
 * each caller gets its own prediction. The lease is held until the answer, so a hot swap meanwhile
 * neither closes the session under the batch nor mixes versions in it, and the prediction names the
 * version that really answered. With batching off the request runs as a batch of one on its own thread.
 *
 * <p>Records the REST side of {@link InferenceMetrics}: outcomes, batch sizes, time in the queue and in
 * the model, the request's latency, the queue's depth.
 */
@Startup
@ApplicationScoped
public class ClassificationService {

    private static final Logger LOG = Logger.getLogger(ClassificationService.class);
    /** At shutdown, how long queued images may still run before their callers get a 503. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final ModelHolder models;
    private final InferenceMetrics metrics;
    /** Null when batching is off. */
    private final ClassifyBatchQueue<QueuedImage> queue;

    ClassificationService(ModelHolder models, InferenceMetrics metrics, InferenceConfig config) {
        this.models = models;
        this.metrics = metrics;
        InferenceConfig.RestBatching batching = config.restBatching();
        if (batching.maxBatchSize() < 1 || batching.maxWait().isNegative()) {
            throw new IllegalArgumentException("mlops.inference.rest-batching: max-batch-size must be at least 1 and"
                    + " max-wait at least PT0S (1 or PT0S turn batching off), found max-batch-size="
                    + batching.maxBatchSize() + ", max-wait=" + batching.maxWait());
        }
        boolean on = batching.maxBatchSize() > 1 && !batching.maxWait().isZero();
        this.queue = on ? new ClassifyBatchQueue<>(batching.maxBatchSize(), batching.maxWait(), batching.maxQueued(),
                batching.concurrentBatches(), DRAIN_TIMEOUT, this::runBatch) : null;
        metrics.restQueueDepth(queue == null ? () -> 0 : queue::depth);
        LOG.infof("POST /classify batching: %s", on ? "up to " + batching.maxBatchSize() + " images, waiting at most "
                + batching.maxWait() + ", " + batching.maxQueued() + " queued at most, "
                + batching.concurrentBatches() + " batches at once" : "off (one model call per request)");
    }

    /**
     * @throws NoModelException             no model is loaded yet
     * @throws UnclassifiableImageException the model's decoder refused the image
     * @throws ClassifyBusyException        the queue is full, or the service is shutting down
     * @throws ClassificationFailedException the model run of the image's batch failed
     */
    public Prediction classify(ClassifyRequest request) {
        long received = System.nanoTime();
        try (ModelLease lease = models.acquire()) {
            PreparedImage image;
            try {
                image = lease.model().classifier().prepare(new ImageInput.Encoded(request.requestId(), request.image()));
            } catch (ImageRejectedException e) {
                metrics.rejected(InferenceMetrics.Source.REST);
                throw new UnclassifiableImageException(e.getMessage());
            }
            QueuedImage job = new QueuedImage(lease.model(), image, request.top(), System.nanoTime());
            if (queue == null) {
                runBatch(List.of(job));
            } else {
                queue.submit(job);
            }
            Prediction prediction = job.await();
            metrics.classified(InferenceMetrics.Source.REST, 1);
            metrics.restRequest(Duration.ofNanos(System.nanoTime() - received));
            return prediction;
        }
    }

    /** One model call for images prepared by the same model; answers or fails each of them. */
    private void runBatch(List<QueuedImage> batch) {
        LoadedModel model = batch.get(0).model;
        long start = System.nanoTime();
        List<ImageResult.Classified> results;
        try {
            results = model.classifier().classifyPrepared(batch.stream().map(job -> job.image).toList());
        } catch (RuntimeException e) {
            LOG.errorf(e, "the model %s failed on a batch of %d POST /classify images", model.identity(), batch.size());
            ClassificationFailedException failure = ClassificationFailedException.ofBatch(batch.size(), e);
            batch.forEach(job -> job.fail(failure));
            return;
        }
        Duration modelTime = Duration.ofNanos(System.nanoTime() - start);
        metrics.restBatch(batch.size(), modelTime);
        Instant now = Instant.now();
        for (int i = 0; i < batch.size(); i++) {
            QueuedImage job = batch.get(i);
            Duration queued = Duration.ofNanos(start - job.queuedAt);
            metrics.restQueued(queued);
            job.answer.complete(model.prediction(results.get(i), job.top, modelTime.toNanos() / 1e6, batch.size(),
                    queued.toNanos() / 1e6, now));
        }
    }

    @PreDestroy
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    /** An image prepared by {@code model}, waiting for its batch; the request's thread waits on {@link #answer}. */
    private static final class QueuedImage implements ClassifyBatchQueue.Job {
        private final LoadedModel model;
        private final PreparedImage image;
        private final int top;
        private final long queuedAt;
        private final CompletableFuture<Prediction> answer = new CompletableFuture<>();

        QueuedImage(LoadedModel model, PreparedImage image, int top, long queuedAt) {
            this.model = model;
            this.image = image;
            this.top = top;
            this.queuedAt = queuedAt;
        }

        @Override
        public Object batchKey() {
            return model;
        }

        @Override
        public long queuedAtNanos() {
            return queuedAt;
        }

        @Override
        public void fail(RuntimeException error) {
            answer.completeExceptionally(error);
        }

        /** The prediction, or the exception that failed this image, as it was thrown. */
        Prediction await() {
            try {
                return answer.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
    }
}
