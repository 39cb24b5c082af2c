package dev.resnetops.onnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session over an exported model: CUDA when the runtime was built with it (the
 * {@code gpu} Maven profile), the process sees a GPU and its driver ({@link CudaAvailability}) and the
 * GPU accepts the session, else CPU. Says in the log which one runs, and why not CUDA when the runtime
 * has it.
 */
public final class OnnxSession implements AutoCloseable {

    /** The input tensor's name in every model the exporter writes (NCHW float32). */
    public static final String INPUT = "input";
    /** The output tensor's name: raw logits, one row per image. */
    public static final String OUTPUT = "logits";

    private static final Logger LOG = LoggerFactory.getLogger(OnnxSession.class);

    private final OrtSession session;
    private final String provider;
    private final Path file;

    /** A session whose intra-op threads spin between operators, ONNX Runtime's default. */
    public OnnxSession(Path file, int threads, boolean allowGpu) {
        this(file, threads, allowGpu, true);
    }

    /**
     * @param threads intra-op threads; 0 lets ONNX Runtime choose (one per physical core)
     * @param allowGpu false forces the CPU even when CUDA is available
     * @param spinWait intra-op threads spin while waiting for the next operator's work instead of sleeping.
     *     Spinning saves the wake-up when the process has the cores to itself; beside other busy threads (Kafka
     *     and HTTP threads in a service, a broker on the same host) it costs: a spinning thread takes a core
     *     another needs, and a worker preempted mid-operator keeps the others waiting at that operator's end.
     *     Measured on the image stream at half load on 2 cores: p99 399 ms spinning, 207 ms without
     */
    public OnnxSession(Path file, int threads, boolean allowGpu, boolean spinWait) {
        this.file = file;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        CudaAvailability.Decision cuda = CudaAvailability.check(allowGpu);
        OrtSession opened = null;
        String chosen = "CPU";
        if (cuda.useCuda()) {
            try {
                opened = open(env, file, threads, spinWait, true);
                chosen = "CUDA";
            } catch (OrtException e) {
                // A GPU the runtime cannot use (driver too old, device busy): serve on the CPU rather than not at all.
                LOG.warn("CUDA execution provider unavailable for {} ({}); falling back to CPU", file, e.getMessage());
            }
        } else if (!cuda.reason().isEmpty()) {
            LOG.warn("ONNX Runtime has the CUDA execution provider, but {}: falling back to CPU", cuda.reason());
        }
        try {
            this.session = opened != null ? opened : open(env, file, threads, spinWait, false);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
        }
        this.provider = chosen;
        LOG.info("ONNX Runtime session for {} runs on the {} execution provider ({} intra-op threads, {})", file,
                chosen, threads > 0 ? Integer.toString(threads) : "default", spinWait ? "spinning" : "no spinning");
    }

    private static OrtSession open(OrtEnvironment env, Path file, int threads, boolean spinWait, boolean cuda)
            throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Math.max(threads, 0));
            if (!spinWait) {
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (cuda) {
                options.addCUDA(0);
            }
            return env.createSession(file.toString(), options);
        }
    }

    public String provider() {
        return provider;
    }

    public Map<String, String> customMetadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new IllegalArgumentException("cannot read the metadata of " + file + ": " + e.getMessage(), e);
        }
    }

    /** Logits for {@code batch} images stored contiguously as NCHW in {@code data}; one row per image. */
    public float[][] logits(float[] data, int batch, int channels, int height, int width) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {batch, channels, height, width};
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(data, 0, batch * channels * height * width),
                shape);
                OrtSession.Result result = session.run(Map.of(INPUT, input))) {
            return (float[][]) result.get(0).getValue();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + file + " for input " + java.util.Arrays.toString(shape)
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing the ONNX Runtime session for {}: {}", file, e.getMessage());
        }
    }
}
