package dev.resnetops.inference.model;

import dev.resnetops.contracts.stream.ServedModel;
import dev.resnetops.inference.config.InferenceConfig;
import dev.resnetops.onnx.runtime.ClassifierOptions;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageResult;
import dev.resnetops.onnx.runtime.OnnxClassifier;
import dev.resnetops.tracking.ModelVersion;
import dev.resnetops.vision.data.DecodedImage;
import dev.resnetops.vision.data.Preprocessing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The model being served, and the switch to a new one. {@link #refresh()} asks the registry where the
 * alias points; a different version is downloaded, opened and warmed up (one inference, so the first
 * real request does not pay ONNX Runtime's lazy initialisation) while the old one keeps serving, then
 * replaces it in one atomic step. Requests and batches hold a {@link ModelLease}, so the old session
 * closes only after the last of them finished: nothing in flight fails, and each answer names the
 * version that produced it.
 */
@ApplicationScoped
public class ModelHolder {

    private static final Logger LOG = Logger.getLogger(ModelHolder.class);

    private final RegistryModels registry;
    private final InferenceConfig config;
    private final AtomicReference<LoadedModel> current = new AtomicReference<>();
    private final Counter swaps;
    private volatile String waitingReason = "no model loaded yet";

    ModelHolder(RegistryModels registry, InferenceConfig config, MeterRegistry metrics) {
        this.registry = registry;
        this.config = config;
        this.swaps = Counter.builder("inference_model_swaps").description("Model versions loaded and switched to")
                .register(metrics);
        Gauge.builder("inference_model_version", this, h -> h.served().map(ServedModel::version).orElse(0))
                .description("Registry version of the model being served (0 = none)")
                .tag("model", config.model()).tag("alias", config.alias()).register(metrics);
    }

    /** The model to use now; close the lease when done with it. */
    public ModelLease acquire() {
        while (true) {
            LoadedModel model = current.get();
            if (model == null) {
                throw new NoModelException(waitingReason);
            }
            if (model.tryAcquire()) {
                return new ModelLease(model);
            }
            // Retired between get() and tryAcquire(): the replacement is already in place, take that.
        }
    }

    public Optional<ServedModel> served() {
        LoadedModel model = current.get();
        return model == null ? Optional.empty() : Optional.of(model.identity());
    }

    /** Why no model is served, while none is. */
    public String waitingReason() {
        return waitingReason;
    }

    /**
     * Loads the version the alias points at if it is not the one served. Serialised: two events arriving
     * together load a version once.
     *
     * @return whether the served version changed
     * @throws dev.resnetops.tracking.MlflowUnavailableException the registry is down (the served model stays)
     * @throws ModelUnusableException the new version cannot be served (the served model stays)
     */
    public synchronized boolean refresh() {
        Optional<ModelVersion> found = registry.current();
        if (found.isEmpty()) {
            if (current.get() == null) {
                waitingReason = "no version of " + config.model() + " has the alias '" + config.alias()
                        + "' yet (promote one: ./mlops models promote, or POST /models/" + config.model() + "/promote)";
            } else {
                LOG.warnf("the alias %s of %s was removed; still serving %s", config.alias(), config.model(),
                        current.get().identity());
            }
            return false;
        }
        ModelVersion version = found.get();
        LoadedModel old = current.get();
        if (old != null && Integer.toString(old.identity().version()).equals(version.version())) {
            return false;
        }
        LoadedModel fresh = load(version);
        current.set(fresh);
        waitingReason = "";
        swaps.increment();
        if (old == null) {
            LOG.infof("serving %s version %s (alias %s, %s, sha256 %s, %s)", version.name(), version.version(),
                    config.alias(), fresh.identity().preset(), fresh.identity().sha256(),
                    fresh.classifier().identity().provider());
        } else {
            LOG.infof("alias %s of %s moved: switched from version %d to %s (%s, sha256 %s)", config.alias(),
                    version.name(), old.identity().version(), version.version(), fresh.identity().preset(),
                    fresh.identity().sha256());
            old.retire();
        }
        return true;
    }

    private LoadedModel load(ModelVersion version) {
        String what = RegistryModels.describe(version);
        Path file = registry.file(version);
        OnnxClassifier classifier;
        try {
            classifier = OnnxClassifier.open(file, options());
        } catch (RuntimeException e) {
            throw new ModelUnusableException(what + " cannot be opened: " + e.getMessage(), e);
        }
        try {
            warmUp(classifier, what);
        } catch (RuntimeException e) {
            classifier.close();
            throw e;
        }
        ServedModel identity = new ServedModel(version.name(), config.alias(), Integer.parseInt(version.version()),
                classifier.identity().sha256(), classifier.metadata().preset());
        return new LoadedModel(classifier, identity);
    }

    private static void warmUp(OnnxClassifier classifier, String what) {
        Preprocessing p = classifier.metadata().preprocessing();
        DecodedImage blank = new DecodedImage(p.inputSize(), p.inputSize(), p.channels(),
                new byte[p.inputSize() * p.inputSize() * p.channels()]);
        ImageResult result = classifier.classify(new ImageInput.Raw("warm-up", blank));
        if (result instanceof ImageResult.Rejected rejected) {
            throw new ModelUnusableException(what + " failed its warm-up inference: " + rejected.error());
        }
    }

    private ClassifierOptions options() {
        // The larger of the two batch settings, so that neither REST's nor the stream's batch is split.
        return new ClassifierOptions(config.threads(), true, config.maxPixels(), config.topK(),
                Math.max(config.stream().maxBatchSize(), config.restBatching().maxBatchSize()), config.spinWait());
    }

    @PreDestroy
    void close() {
        LoadedModel model = current.getAndSet(null);
        if (model != null) {
            model.retire();
        }
    }
}
