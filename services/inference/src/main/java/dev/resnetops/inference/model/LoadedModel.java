package dev.resnetops.inference.model;

import dev.resnetops.contracts.stream.PredictedLabel;
import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.contracts.stream.ServedModel;
import dev.resnetops.onnx.runtime.ImageResult;
import dev.resnetops.onnx.runtime.OnnxClassifier;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model version open in ONNX Runtime, counted while in use: when the alias moves, the holder retires
 * it, and the session closes only once the last batch that acquired it has finished. That is what lets
 * a swap happen under load without failing an in-flight request.
 */
public final class LoadedModel {

    private final OnnxClassifier classifier;
    private final ServedModel identity;
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean retired;

    LoadedModel(OnnxClassifier classifier, ServedModel identity) {
        this.classifier = classifier;
        this.identity = identity;
    }

    public OnnxClassifier classifier() {
        return classifier;
    }

    public ServedModel identity() {
        return identity;
    }

    /**
     * This model's answer to one classified image in the contract's form, the same for REST and the
     * stream: the request id is the image's, the model is this version.
     *
     * @param topK at most this many classes, most probable first
     */
    public Prediction prediction(ImageResult.Classified result, int topK, double inferenceMillis, int batchSize,
                                 double queuedMillis, Instant producedAt) {
        List<PredictedLabel> top = result.top().stream().limit(topK)
                .map(s -> new PredictedLabel(s.index(), s.label(), s.probability())).toList();
        return new Prediction(Prediction.SCHEMA_VERSION, result.source(), identity, top, inferenceMillis, batchSize,
                queuedMillis, producedAt);
    }

    /** False when retired meanwhile: the caller takes the newer model instead. */
    boolean tryAcquire() {
        users.incrementAndGet();
        if (retired) {
            release();
            return false;
        }
        return true;
    }

    void release() {
        if (users.decrementAndGet() == 0 && retired) {
            closeOnce();
        }
    }

    /** No new users from now on; closes when the current ones are done. */
    void retire() {
        retired = true;
        if (users.get() == 0) {
            closeOnce();
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    private void closeOnce() {
        if (closed.compareAndSet(false, true)) {
            classifier.close();
        }
    }
}
