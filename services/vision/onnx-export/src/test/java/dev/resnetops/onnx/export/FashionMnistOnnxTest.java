package dev.resnetops.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.resnetops.onnx.runtime.ClassifierOptions;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageResult;
import dev.resnetops.onnx.runtime.OnnxClassifier;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.data.DecodedImage;
import dev.resnetops.vision.data.ImageCodec;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.data.Split;
import dev.resnetops.vision.train.Checkpoint;
import dev.resnetops.vision.train.CheckpointState;
import dev.resnetops.vision.train.DynamicLossScaler;
import dev.resnetops.vision.train.TrainedModel;
import dev.resnetops.vision.weights.InitReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on real data: a checkpoint saved by the training code is exported through the gate,
 * then the classifier, fed the Fashion-MNIST test images as PNG files (as a user would), picks the
 * same Top-1 class as DJL evaluation of the same checkpoint on every image.
 */
class FashionMnistOnnxTest {

    private static final int IMAGES = 200;

    @TempDir
    Path dir;

    @Test
    void predictOnTestImageFilesAgreesWithDjlEvaluation() throws Exception {
        ShardedDataset data = FashionMnist.dataset();
        Preprocessing preprocessing = Preprocessing.forDataset(data.manifest(), 28);
        Path run = dir.resolve("run-7");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = RandomResNets.build("resnet18-small", data.classes().size(), 1, 28, 33, manager);
            TrainingConfig config = TrainingConfig.builder().model("resnet18-small").build();
            CheckpointState state = new CheckpointState(CheckpointState.FORMAT_VERSION, config, "resnet18-small",
                    data.classes().size(), data.classes(), preprocessing, data.manifest().name(), "abc123", 1, 10,
                    new DynamicLossScaler.State(1, 0), List.of(), "fp32", "cpu", "2026-01-01T00:00:00Z",
                    InitReport.random());
            Checkpoint.save(run.resolve("checkpoint"), state, block, new NDList());
        }

        Path model = dir.resolve("out/model.onnx");
        ParityReport report = CheckpointExport.run(run, model, data, 300, null, new ParityGate());
        assertThat(report.passed()).isTrue();
        assertThat(report.images()).isEqualTo(300);
        assertThat(Files.exists(ParityGate.reportPath(model))).isTrue();

        List<ImageInput> files = new ArrayList<>();
        float[] batch = new float[IMAGES * preprocessing.sampleLength()];
        for (int i = 0; i < IMAGES; i++) {
            DecodedImage image = data.image(Split.TEST, i);
            files.add(new ImageInput.File(Files.write(dir.resolve("test-" + i + ".png"),
                    ImageCodec.encode(image, "png", 0))));
            preprocessing.evaluateInto(image, batch, i * preprocessing.sampleLength());
        }

        float[][] djl;
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainedModel loaded = TrainedModel.load(run, manager);
            djl = DjlLogits.of(loaded.block(), batch, IMAGES, 1, 28, 28);
        }
        try (OnnxClassifier classifier = OnnxClassifier.open(model, ClassifierOptions.defaults().withThreads(1))) {
            assertThat(classifier.identity().runId()).isEqualTo("run-7");
            assertThat(classifier.metadata().datasetHash()).isEqualTo("abc123");
            assertThat(classifier.metadata().classes()).isEqualTo(data.classes());
            List<ImageResult> results = classifier.classify(files);
            for (int i = 0; i < IMAGES; i++) {
                ImageResult result = results.get(i);
                assertThat(result).as(result.toString()).isInstanceOf(ImageResult.Classified.class);
                assertThat(((ImageResult.Classified) result).top().get(0).index()).as("image %d", i)
                        .isEqualTo(LogitComparison.argMax(djl[i]));
            }
        }
    }
}
