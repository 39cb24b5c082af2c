package dev.resnetops.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.vision.data.EvalResize;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.data.TrainAugmentation;
import dev.resnetops.vision.weights.InitReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metadata contract between the exporter (which writes it) and the classifier (which reads it). */
class ModelMetadataTest {

    private static final ModelMetadata METADATA = new ModelMetadata("resnet50-paper-small", "run-1",
            List.of("t-shirt", "trouser"),
            new Preprocessing(32, 1, new float[] {0.29f}, new float[] {0.35f}, TrainAugmentation.padRandomCrop(4),
                    EvalResize.centerPad()),
            "fashion-mnist", "abc123");

    @Test
    void roundTripsThroughTheOnnxProperties() {
        ModelMetadata read = ModelMetadata.fromProperties(METADATA.toProperties(), "model.onnx");

        assertThat(read.preset()).isEqualTo("resnet50-paper-small");
        assertThat(read.classes()).containsExactly("t-shirt", "trouser");
        assertThat(read.preprocessing().specHash()).isEqualTo(METADATA.preprocessing().specHash());
        assertThat(read.datasetHash()).isEqualTo("abc123");
    }

    @Test
    void namesWhereTrainingStartedFromWhenItWasNotRandom() {
        assertThat(METADATA.toProperties()).containsEntry(InitReport.FORMAT, "random").doesNotContainKey(InitReport.SOURCE);
        assertThat(ModelMetadata.fromProperties(METADATA.toProperties(), "model.onnx").init().isRandom()).isTrue();

        InitReport init = new InitReport("weights:resnet50-imagenet", "uploaded weights 'resnet50-imagenet'",
                "pytorch-zip", "ab".repeat(32), "torchvision", false, List.of("the classifier is new"), null);
        ModelMetadata fineTuned = new ModelMetadata(METADATA.preset(), METADATA.runId(), METADATA.classes(),
                METADATA.preprocessing(), METADATA.datasetName(), METADATA.datasetHash(), init);
        InitReport read = ModelMetadata.fromProperties(fineTuned.toProperties(), "model.onnx").init();

        assertThat(read.source()).isEqualTo("weights:resnet50-imagenet");
        assertThat(read.resolved()).isEqualTo("uploaded weights 'resnet50-imagenet'");
        assertThat(read.format()).isEqualTo("pytorch-zip");
        assertThat(read.sha256()).isEqualTo("ab".repeat(32));
        assertThat(read.keyConvention()).isEqualTo("torchvision");
        assertThat(read.headLoaded()).isFalse();
    }

    @Test
    void aMissingKeyNamesTheFileAndTheKey() {
        Map<String, String> props = new LinkedHashMap<>(METADATA.toProperties());
        props.remove(ModelMetadata.CLASSES);

        assertThatThrownBy(() -> ModelMetadata.fromProperties(props, "other.onnx"))
                .hasMessageContaining("other.onnx has no metadata property 'resnetops.classes'")
                .hasMessageContaining("not a model exported by resnetops");
    }

    @Test
    void anEditedPreprocessingIsCaughtByItsHash() {
        Map<String, String> props = new LinkedHashMap<>(METADATA.toProperties());
        props.put(ModelMetadata.PREPROCESSING_SPEC_HASH, "0000");

        assertThatThrownBy(() -> ModelMetadata.fromProperties(props, "model.onnx"))
                .hasMessageContaining("resnetops.preprocessing_spec_hash is 0000");
    }
}
