package dev.resnetops.vision.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.weights.TorchKeyLayout.Entry;
import dev.resnetops.vision.weights.TorchKeyLayout.ShortcutNaming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateDictMapperTest {

    private static final ModelPreset RESNET50 = ModelZoo.preset("resnet50");

    @Test
    void aCompleteTorchvisionStateDictMapsInNetworkOrderAndCountersAreNoted() {
        Map<String, StoredTensor> file = stateDict(RESNET50, 3, 1000, ShortcutNaming.TORCHVISION);
        file.put("bn1.num_batches_tracked", new StoredTensor("bn1.num_batches_tracked", TensorDtype.I64, new long[0],
                new float[] {5}));

        MappedWeights mapped = StateDictMapper.map(file, RESNET50, 3, 1000, false);

        assertThat(mapped.naming()).isEqualTo(ShortcutNaming.TORCHVISION);
        assertThat(mapped.entries()).hasSize(267); // torchvision's 320 keys less 53 num_batches_tracked
        assertThat(mapped.entries().get(0).key()).isEqualTo("conv1.weight");
        assertThat(mapped.entries().get(mapped.entries().size() - 1).key()).isEqualTo("fc.bias");
        assertThat(mapped.values()).doesNotContainNull();
        assertThat(mapped.headLoaded()).isTrue();
        assertThat(mapped.notes()).containsExactly("1 BatchNorm num_batches_tracked counters not loaded (our BatchNorm "
                + "uses a fixed momentum, as PyTorch does by default, so they have no effect)");
    }

    @Test
    void timmsAveragePoolShortcutNamesAreRecognised() {
        ModelPreset resnet50d = ModelZoo.preset("resnet50d");
        Map<String, StoredTensor> file = stateDict(resnet50d, 3, 1000, ShortcutNaming.TIMM_AVG_DOWN);

        MappedWeights mapped = StateDictMapper.map(file, resnet50d, 3, 1000, false);

        assertThat(mapped.naming()).isEqualTo(ShortcutNaming.TIMM_AVG_DOWN);
        assertThat(mapped.entries()).extracting(Entry::key)
                .contains("conv1.0.weight", "conv1.4.running_var", "conv1.6.weight", "layer1.0.downsample.1.weight",
                        "layer4.0.downsample.2.running_mean");
    }

    @Test
    void timmsPooledShortcutWeightsAreRefusedForAStridedShortcut() {
        Map<String, StoredTensor> file = stateDict(ModelZoo.preset("resnet50-d"), 3, 1000, ShortcutNaming.TIMM_AVG_DOWN);

        assertThatThrownBy(() -> StateDictMapper.map(file, ModelZoo.preset("resnet50-paper"), 3, 1000, false))
                .hasMessageContaining("layer2.0.downsample: the file's shortcut average-pools first")
                .hasMessageContaining("layer3.0.downsample")
                .hasMessageNotContaining("layer4.0.downsample:");
    }

    @Test
    void halfPrecisionWeightsAreConvertedAndNoted() {
        Map<String, StoredTensor> file = new LinkedHashMap<>();
        stateDict(RESNET50, 3, 1000, ShortcutNaming.TORCHVISION).forEach((k, t) ->
                file.put(k, new StoredTensor(k, TensorDtype.BF16, t.shape(), t.values())));

        MappedWeights mapped = StateDictMapper.map(file, RESNET50, 3, 1000, false);

        assertThat(mapped.notes()).contains("267 bf16 tensors converted to float32 (the engine trains in float32)");
    }

    @Test
    void thePapersModelTakesTorchvisionResnet50WeightsUnchanged() {
        Map<String, StoredTensor> file = stateDict(RESNET50, 3, 1000, ShortcutNaming.TORCHVISION);

        MappedWeights mapped = StateDictMapper.map(file, ModelZoo.preset("resnet50-paper"), 3, 1000, false);

        assertThat(mapped.values()).doesNotContainNull();
        assertThat(mapped.notes()).isEmpty();
    }

    @Test
    void everyMissingUnexpectedOrMisShapedTensorIsListedWithBothShapes() {
        Map<String, StoredTensor> file = stateDict(RESNET50, 3, 1000, ShortcutNaming.TORCHVISION);
        file.remove("layer2.1.bn2.running_var");
        file.put("layer3.0.conv2.weight", tensor("layer3.0.conv2.weight", TensorDtype.F32, 256, 256, 1, 1));
        file.put("aux_head.weight", tensor("aux_head.weight", TensorDtype.F32, 10, 2048));
        file.put("bn1.bias", tensor("bn1.bias", TensorDtype.I64, 64));

        assertThatThrownBy(() -> StateDictMapper.map(file, RESNET50, 3, 1000, false))
                .isInstanceOf(IncompatibleWeightsException.class)
                .hasMessageContaining("do not fit resnet50 with 3 input channels and 1000 classes")
                .hasMessageContaining("4 problems")
                .hasMessageContaining("missing layer2.1.bn2.running_var [128]")
                .hasMessageContaining("layer3.0.conv2.weight: expected [256, 256, 3, 3], found [256, 256, 1, 1]")
                .hasMessageContaining("unexpected aux_head.weight [10, 2048] (not part of resnet50)")
                .hasMessageContaining("bn1.bias is i64");
    }

    @Test
    void anotherArchitecturesFileFailsWithACountAndAHint() {
        Map<String, StoredTensor> resnet18 = stateDict(ModelZoo.preset("resnet18"), 3, 1000, ShortcutNaming.TORCHVISION);

        assertThatThrownBy(() -> StateDictMapper.map(resnet18, RESNET50, 3, 1000, false))
                .isInstanceOf(IncompatibleWeightsException.class)
                .hasMessageContaining("is it another architecture?")
                .hasMessageContaining("... and");
    }

    @Test
    void aClassifierForOtherClassesIsRefusedUnlessANewHeadIsWanted() {
        Map<String, StoredTensor> file = stateDict(RESNET50, 3, 1000, ShortcutNaming.TORCHVISION);

        assertThatThrownBy(() -> StateDictMapper.map(file, RESNET50, 3, 10, false))
                .hasMessageContaining("fc.weight: expected [10, 2048], found [1000, 2048] (the file's classifier has "
                        + "1000 classes");

        MappedWeights mapped = StateDictMapper.map(file, RESNET50, 3, 10, true);
        assertThat(mapped.headLoaded()).isFalse();
        assertThat(mapped.values().get(mapped.values().size() - 1)).isNull();
        assertThat(mapped.notes()).contains(
                "fc.weight: not loaded, a new classifier head [10, 2048] is initialised (the file's is [1000, 2048])");
    }

    @Test
    void rgbWeightsAreSummedOverTheirInputChannelsForGreyImages() {
        Map<String, StoredTensor> file = stateDict(RESNET50, 3, 1000, ShortcutNaming.TORCHVISION);
        float[] rgb = file.get("conv1.weight").values();

        MappedWeights mapped = StateDictMapper.map(file, RESNET50, 1, 1000, false);

        float[] grey = mapped.values().get(0);
        assertThat(grey).hasSize(64 * 49);
        int kernel = 49;
        for (int o : new int[] {0, 17, 63}) {
            for (int k : new int[] {0, 24, 48}) {
                float sum = rgb[(o * 3) * kernel + k] + rgb[(o * 3 + 1) * kernel + k] + rgb[(o * 3 + 2) * kernel + k];
                assertThat(grey[o * kernel + k]).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
        assertThat(mapped.notes()).anySatisfy(n -> assertThat(n).contains("conv1.weight: 3-channel weights adapted to "
                + "1-channel images (summed over the input channels)"));
    }

    @Test
    void aDataParallelPrefixIsDroppedAndNoted() {
        Map<String, StoredTensor> file = new LinkedHashMap<>();
        stateDict(RESNET50, 3, 1000, ShortcutNaming.TORCHVISION).forEach((k, t) ->
                file.put("module." + k, new StoredTensor("module." + k, t.dtype(), t.shape(), t.values())));

        MappedWeights mapped = StateDictMapper.map(file, RESNET50, 3, 1000, false);

        assertThat(mapped.values()).doesNotContainNull();
        assertThat(mapped.notes()).anySatisfy(n -> assertThat(n).contains("'module.'"));
    }

    static Map<String, StoredTensor> stateDict(ModelPreset preset, int channels, int classes, ShortcutNaming naming) {
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        List<Entry> entries = TorchKeyLayout.entries(preset, channels, classes, naming);
        for (Entry entry : entries) {
            tensors.put(entry.key(), tensor(entry.key(), TensorDtype.F32, entry.shape()));
        }
        return tensors;
    }

    private static StoredTensor tensor(String name, TensorDtype dtype, long... shape) {
        float[] values = new float[(int) StoredTensor.numel(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.floorMod(name.hashCode() + 31 * i, 997) / 997f; // distinct enough, and cheap for 25M values
        }
        return new StoredTensor(name, dtype, shape, values);
    }
}
