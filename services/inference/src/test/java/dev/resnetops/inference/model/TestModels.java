package dev.resnetops.inference.model;

import dev.resnetops.contracts.stream.ServedModel;
import dev.resnetops.inference.config.InferenceConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.inject.Vetoed;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Models without an ONNX Runtime session, for tests whose model calls are faked ({@code BatchInference}):
 * training a real one needs libtorch, which this module must not have.
 */
public final class TestModels {

    private TestModels() {
    }

    /** A loaded model whose predictions name {@code identity}; its classifier is absent, never call it. */
    public static LoadedModel withoutSession(ServedModel identity) {
        return new LoadedModel(null, identity);
    }

    /**
     * A holder serving {@code model} from the start, without a registry; {@link #blockRefreshes()} makes the
     * watcher's next refresh hang until {@link #releaseRefreshes()}, as a registry call that never returns would.
     * Vetoed: it inherits ModelHolder's scope, and is installed with QuarkusMock rather than discovered.
     */
    @Vetoed
    public static final class FixedModelHolder extends ModelHolder {

        private final LoadedModel model;
        private volatile CountDownLatch refreshGate;

        public FixedModelHolder(LoadedModel model, InferenceConfig config) {
            super(null, config, new SimpleMeterRegistry());
            this.model = model;
        }

        public void blockRefreshes() {
            refreshGate = new CountDownLatch(1);
        }

        public void releaseRefreshes() {
            CountDownLatch gate = refreshGate;
            refreshGate = null;
            if (gate != null) {
                gate.countDown();
            }
        }

        @Override
        public ModelLease acquire() {
            model.tryAcquire();
            return new ModelLease(model);
        }

        @Override
        public Optional<ServedModel> served() {
            return Optional.of(model.identity());
        }

        @Override
        public String waitingReason() {
            return "";
        }

        @Override
        public boolean refresh() {
            CountDownLatch gate = refreshGate;
            if (gate != null) {
                try {
                    gate.await(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return false;
        }
    }
}
