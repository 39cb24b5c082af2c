package dev.resnetops.inference.stream;

import dev.resnetops.inference.model.LoadedModel;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The stream's one call into the model: decode, preprocess and run a batch in ONNX Runtime. A bean of its
 * own so that tests can make the model fail (throw for one image, throw an {@link Error}, block) on the
 * real broker without a broken model file; {@link BatchClassifier} decides what a failure means.
 */
@ApplicationScoped
public class BatchInference {

    /** One result per input, in input order; may throw for reasons of its own (a bug, ONNX Runtime). */
    public List<ImageResult> classify(LoadedModel model, List<ImageInput> inputs) {
        return model.classifier().classify(inputs);
    }
}
