package dev.resnetops.vision.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.model.Stem;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResNetTest {

    /** torchvision.models.resnet50().parameters() summed, for 1000 classes. */
    private static final long TORCHVISION_RESNET50_PARAMETERS = 25_557_032L;

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "resnet50-paper", "resnet50-d"})
    void resnet50VariantsHaveTorchvisionParameterCount(String preset) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.of(ModelZoo.preset(preset), 1000);
            net.initialize(manager, new Shape(1, 3, 224, 224));
            assertThat(ResNet.countParameters(net.block())).isEqualTo(TORCHVISION_RESNET50_PARAMETERS);
        }
    }

    @Test
    void resnet18HasTorchvisionParameterCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.of(ModelZoo.preset("resnet18"), 1000);
            net.initialize(manager, new Shape(1, 3, 224, 224));
            assertThat(ResNet.countParameters(net.block())).isEqualTo(11_689_512L);
        }
    }

    @Test
    void pooledShortcutKeepsOddStage4InputAlignedWithMainPath() {
        // A 7x7 map entering Stage 4 must give 4x4 on both paths (ceil_mode), else the sum fails.
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.builder().setDepth(50).setNumClasses(10).optStem(Stem.SMALL)
                    .optAvgPoolShortcutStages(Set.of(2, 3, 4)).build();
            // small stem keeps 28 px; stages 2, 3 and 4 halve with ceil: 28 -> 14 -> 7 -> 4
            net.initialize(manager, new Shape(2, 1, 28, 28));
            Block stage4First = net.block().getChildren().get(3 + 3 + 4 + 6).getValue();
            Shape[] out = stage4First.getOutputShapes(new Shape[] {new Shape(2, 1024, 7, 7)});
            assertThat(out[0]).isEqualTo(new Shape(2, 2048, 4, 4));

            NDArray logits = net.block()
                    .forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(new Shape(2, 1, 28, 28))), false)
                    .singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(2, 10));
        }
    }

    @Test
    void imagenetStemHandlesOddInputSizes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.of(ModelZoo.preset("resnet18-paper"), 5);
            net.initialize(manager, new Shape(1, 3, 97, 97));
            NDArray logits = net.block()
                    .forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(new Shape(1, 3, 97, 97))), false)
                    .singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(1, 5));
        }
    }

    @Test
    void residualBranchesStartWithZeroGamma() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.of(ModelZoo.preset("resnet18-small"), 10);
            net.initialize(manager, new Shape(1, 3, 32, 32));
            long zeroGammas = net.block().getParameters().values().stream()
                    .filter(p -> p.getType() == Parameter.Type.GAMMA)
                    .filter(p -> p.getArray().abs().sum().getFloat() == 0f)
                    .count();
            assertThat(zeroGammas).isEqualTo(8); // one per basic block: 2 per stage x 4 stages
        }
    }

    @Test
    void rejectsShortcutPoolingInStageThatDoesNotDownsample() {
        assertThatThrownBy(() -> ResNet.builder().setDepth(50).setNumClasses(10).optAvgPoolShortcutStages(Set.of(1)).build())
                .hasMessageContaining("within 2-4").hasMessageContaining("found 1");
        assertThatThrownBy(() -> ResNet.builder().setDepth(42).setNumClasses(10).build())
                .hasMessageContaining("found 42");
    }

    @Test
    void unknownPresetErrorListsKnownNames() {
        assertThatThrownBy(() -> ModelZoo.preset("resnet51"))
                .hasMessageContaining("resnet51").hasMessageContaining("resnet50-paper");
    }
}
