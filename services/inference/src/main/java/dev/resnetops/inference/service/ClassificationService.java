package dev.resnetops.inference.service;

import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.inference.model.ModelHolder;
import dev.resnetops.inference.model.ModelLease;
import dev.resnetops.inference.model.NoModelException;
import dev.resnetops.inference.observability.InferenceMetrics;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * Classifies one image for {@code POST /classify} with the model served now. It holds a
 * {@link ModelLease} for the whole call, so a hot swap meanwhile does not close the session under it,
 * and the prediction names the version that really answered. Records the REST side of
 * {@link InferenceMetrics}: the image's outcome, its time in the model and the request's latency.
 */
@ApplicationScoped
public class ClassificationService {

    private final ModelHolder models;
    private final InferenceMetrics metrics;

    ClassificationService(ModelHolder models, InferenceMetrics metrics) {
        this.models = models;
        this.metrics = metrics;
    }

    /**
     * @throws NoModelException            no model is loaded yet
     * @throws UnclassifiableImageException the model's decoder refused the image
     */
    public Prediction classify(ClassifyRequest request) {
        long received = System.nanoTime();
        try (ModelLease lease = models.acquire()) {
            long start = System.nanoTime();
            ImageResult result = lease.model().classifier()
                    .classify(new ImageInput.Encoded(request.requestId(), request.image()));
            Duration modelTime = Duration.ofNanos(System.nanoTime() - start);
            if (result instanceof ImageResult.Rejected rejected) {
                metrics.rejected(InferenceMetrics.Source.REST);
                throw new UnclassifiableImageException(rejected.error());
            }
            // A request is a batch of one that waited for no other image.
            Prediction prediction = lease.model().prediction((ImageResult.Classified) result, request.top(),
                    modelTime.toNanos() / 1e6, 1, 0, Instant.now());
            metrics.classified(InferenceMetrics.Source.REST, 1);
            metrics.restRequest(modelTime, Duration.ofNanos(System.nanoTime() - received));
            return prediction;
        }
    }
}
