package dev.resnetops.systemtests;

import dev.resnetops.onnx.runtime.ClassifierOptions;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageResult;
import dev.resnetops.onnx.runtime.OnnxClassifier;
import dev.resnetops.onnx.runtime.ScoredLabel;
import dev.resnetops.systemtests.FashionMnistImages.TestImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference the service is checked against: what one ONNX file answers for each test image when
 * classified here, in the test's JVM, with the same {@link OnnxClassifier} but none of the service's
 * batching, Kafka or REST. Answers are computed once per image and kept.
 */
final class OfflineAnswers implements AutoCloseable {

    /**
     * @param top1   the most probable class
     * @param margin its probability minus the runner-up's: below ~1e-4, batch composition alone (a
     *               different summation order in ONNX Runtime) may flip the two
     */
    record Answer(int top1, double margin) {}

    private final OnnxClassifier classifier;
    private final Map<Integer, Answer> byImage = new HashMap<>();

    OfflineAnswers(Path onnx) {
        // One thread: the service under test needs the machine's cores more than this reference does.
        classifier = OnnxClassifier.open(onnx, ClassifierOptions.defaults().withThreads(1));
    }

    Answer of(TestImage image) {
        Answer answer = byImage.get(image.index());
        if (answer == null) {
            classifyAll(List.of(image));
            answer = byImage.get(image.index());
        }
        return answer;
    }

    /** Classifies the images not classified yet, in one call. */
    void classifyAll(List<TestImage> images) {
        List<TestImage> missing = images.stream().filter(i -> !byImage.containsKey(i.index())).distinct().toList();
        List<ImageInput> inputs = new ArrayList<>();
        for (TestImage image : missing) {
            inputs.add(new ImageInput.Encoded("test-" + image.index(), image.png()));
        }
        List<ImageResult> results = classifier.classify(inputs);
        for (int i = 0; i < missing.size(); i++) {
            if (!(results.get(i) instanceof ImageResult.Classified classified)) {
                throw new IllegalStateException("offline classification rejected test image " + missing.get(i).index()
                        + ": " + results.get(i));
            }
            List<ScoredLabel> top = classified.top();
            byImage.put(missing.get(i).index(), new Answer(top.get(0).index(),
                    top.get(0).probability() - top.get(1).probability()));
        }
    }

    @Override
    public void close() {
        classifier.close();
    }
}
