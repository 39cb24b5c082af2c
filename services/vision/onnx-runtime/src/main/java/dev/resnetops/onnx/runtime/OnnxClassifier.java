package dev.resnetops.onnx.runtime;

import dev.resnetops.vision.data.DecodedImage;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.data.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Classifies images with an exported model in one ONNX Runtime session.
 *
 * <p>Everything about the input comes from the model's own metadata: channel conversion, resize or
 * pad, normalisation are done by the very {@link Preprocessing} the checkpoint was evaluated with.
 * A bad image becomes an {@link ImageResult.Rejected} naming the problem; the rest of the batch is
 * still classified. Thread-safe for concurrent {@link #classify} calls (ONNX Runtime sessions are).
 */
public final class OnnxClassifier implements AutoCloseable {

    private final OnnxSession session;
    private final ModelMetadata metadata;
    private final ModelIdentity identity;
    private final ClassifierOptions options;
    private final GuardedImageDecoder decoder;

    private OnnxClassifier(OnnxSession session, ModelMetadata metadata, ModelIdentity identity,
            ClassifierOptions options) {
        this.session = session;
        this.metadata = metadata;
        this.identity = identity;
        this.options = options;
        this.decoder = new GuardedImageDecoder(options.maxPixels());
    }

    public static OnnxClassifier open(Path model, ClassifierOptions options) {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("no ONNX model at " + model);
        }
        String sha256;
        try {
            sha256 = Sha256.ofFile(model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model + ": " + e.getMessage(), e);
        }
        OnnxSession session = new OnnxSession(model, options.threads(), options.allowGpu(), options.spinWait());
        try {
            ModelMetadata metadata = ModelMetadata.fromProperties(session.customMetadata(), model.toString());
            ModelIdentity identity = new ModelIdentity(metadata.preset(), metadata.runId(), sha256, model.toString(),
                    session.provider());
            return new OnnxClassifier(session, metadata, identity, options);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    public ModelIdentity identity() {
        return identity;
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    /** One result per input, in input order. */
    public List<ImageResult> classify(List<? extends ImageInput> inputs) {
        Preprocessing preprocessing = metadata.preprocessing();
        int len = preprocessing.sampleLength();
        ImageResult[] results = new ImageResult[inputs.size()];
        for (int start = 0; start < inputs.size(); start += options.batchSize()) {
            int end = Math.min(inputs.size(), start + options.batchSize());
            float[] batch = new float[(end - start) * len];
            int[] positions = new int[end - start];
            int accepted = 0;
            for (int i = start; i < end; i++) {
                ImageInput input = inputs.get(i);
                try {
                    preprocessing.evaluateInto(load(input), batch, accepted * len);
                    positions[accepted++] = i;
                } catch (ImageRejectedException e) {
                    results[i] = new ImageResult.Rejected(input.name(), e.getMessage());
                }
            }
            if (accepted == 0) {
                continue;
            }
            float[][] logits = session.logits(Arrays.copyOf(batch, accepted * len), accepted,
                    preprocessing.channels(), preprocessing.inputSize(), preprocessing.inputSize());
            for (int j = 0; j < accepted; j++) {
                int i = positions[j];
                results[i] = new ImageResult.Classified(inputs.get(i).name(), topK(logits[j]));
            }
        }
        return List.of(results);
    }

    public ImageResult classify(ImageInput input) {
        return classify(List.of(input)).get(0);
    }

    /**
     * Decodes and preprocesses one image for {@link #classifyPrepared}, so that a caller can do this part on
     * its own thread and batch only the model run (REST's dynamic batching: each request thread prepares
     * its image, one thread runs the batch).
     *
     * @throws ImageRejectedException the image cannot be decoded or breaks a limit; the message says why
     */
    public PreparedImage prepare(ImageInput input) {
        return new PreparedImage(input.name(), metadata.preprocessing().evaluate(load(input)));
    }

    /**
     * Classifies images that {@link #prepare} made, in ONNX Runtime calls of at most the options' batch
     * size; one result per image, in order.
     *
     * @throws IllegalArgumentException an image was prepared for a model with other preprocessing (another
     *     input size or channel count): its sample has the wrong length
     */
    public List<ImageResult.Classified> classifyPrepared(List<PreparedImage> images) {
        Preprocessing preprocessing = metadata.preprocessing();
        int len = preprocessing.sampleLength();
        List<ImageResult.Classified> results = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += options.batchSize()) {
            int end = Math.min(images.size(), start + options.batchSize());
            float[] batch = new float[(end - start) * len];
            for (int i = start; i < end; i++) {
                float[] sample = images.get(i).sample();
                if (sample.length != len) {
                    throw new IllegalArgumentException("image '" + images.get(i).name() + "' was prepared as "
                            + sample.length + " values, but this model (" + identity.preset() + ") takes " + len
                            + ": prepare it with the model that classifies it");
                }
                System.arraycopy(sample, 0, batch, (i - start) * len, len);
            }
            float[][] logits = session.logits(batch, end - start, preprocessing.channels(),
                    preprocessing.inputSize(), preprocessing.inputSize());
            for (int i = start; i < end; i++) {
                results.add(new ImageResult.Classified(images.get(i).name(), topK(logits[i - start])));
            }
        }
        return results;
    }

    private DecodedImage load(ImageInput input) {
        // Java 17: no pattern switch yet; the interface is sealed, so these three are all there is.
        if (input instanceof ImageInput.Raw raw) {
            return decoder.check(raw.image());
        }
        if (input instanceof ImageInput.Encoded encoded) {
            return decoder.decode(encoded.bytes());
        }
        return decoder.decode(read(((ImageInput.File) input).path()));
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ImageRejectedException("no such file");
        } catch (IOException e) {
            throw new ImageRejectedException("cannot read file: " + e.getMessage());
        }
    }

    /** Softmax over the logits (max subtracted, so large logits cannot overflow), best k first. */
    private List<ScoredLabel> topK(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            p[k] = Math.exp(logits[k] - max);
            sum += p[k];
        }
        double total = sum;
        List<String> classes = metadata.classes();
        List<ScoredLabel> top = new ArrayList<>();
        IntStream.range(0, logits.length).boxed()
                .sorted(Comparator.comparingDouble((Integer k) -> -p[k]).thenComparing(k -> k))
                .limit(options.topK())
                .forEach(k -> top.add(new ScoredLabel(k, k < classes.size() ? classes.get(k) : "class " + k,
                        (float) (p[k] / total))));
        return top;
    }

    @Override
    public void close() {
        session.close();
    }
}
