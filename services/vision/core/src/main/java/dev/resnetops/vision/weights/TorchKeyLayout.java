package dev.resnetops.vision.weights;

import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.model.ResNetStages;
import dev.resnetops.vision.model.Stem;
import java.util.ArrayList;
import java.util.List;

/**
 * The state-dict names and shapes of a zoo preset under torchvision's and timm's conventions, in the
 * order our network holds its parameters (stem, then each block's main path and shortcut, then the
 * classifier; each BatchNorm as weight, bias, running mean, running variance).
 *
 * <p>Both conventions name the stem {@code conv1}/{@code bn1} (timm's deep stem {@code conv1.0, .1,
 * .3, .4, .6} for its three conv + BN pairs), the blocks {@code layerN.i.convK/bnK} and the
 * classifier {@code fc}. They differ only in the projection shortcut: torchvision's is {@code
 * downsample.0} (conv) and {@code .1} (BN); timm's average-pool shortcut puts its pool (or an
 * identity) at {@code .0}, so the conv is {@code .1} and the BN {@code .2}. The paper's model keeps
 * torchvision's names: its Stage-4 shortcut has the same conv and BN tensors, only a pool in front.
 */
public final class TorchKeyLayout {

    /** What a tensor is to the network. */
    public enum Role {
        CONV_WEIGHT, BN_WEIGHT, BN_BIAS, BN_RUNNING_MEAN, BN_RUNNING_VAR, FC_WEIGHT, FC_BIAS;

        public boolean isClassifier() {
            return this == FC_WEIGHT || this == FC_BIAS;
        }
    }

    /** Which names the projection shortcuts have; recorded as the file's key convention. */
    public enum ShortcutNaming {
        TORCHVISION("torchvision", 0),
        TIMM_AVG_DOWN("timm", 1);

        private final String label;
        private final int convIndex;

        ShortcutNaming(String label, int convIndex) {
            this.label = label;
            this.convIndex = convIndex;
        }

        public String label() {
            return label;
        }
    }

    /** One tensor the network expects. */
    public record Entry(String key, Role role, long[] shape) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final ShortcutNaming naming;

    private TorchKeyLayout(ShortcutNaming naming) {
        this.naming = naming;
    }

    /** Every parameter and BN buffer of {@code preset} for {@code channels} inputs and {@code classes} outputs. */
    public static List<Entry> entries(ModelPreset preset, int channels, int classes, ShortcutNaming naming) {
        TorchKeyLayout layout = new TorchKeyLayout(naming);
        layout.stem(preset.stem(), channels);
        int[] blocks = ResNetStages.blocksPerStage(preset.depth());
        boolean bottleneck = ResNetStages.isBottleneck(preset.depth());
        int expansion = ResNetStages.expansion(preset.depth());
        int in = Stem.OUTPUT_CHANNELS;
        for (int stage = 1; stage <= 4; stage++) {
            int width = ResNetStages.stageWidth(stage);
            int out = width * expansion;
            for (int i = 0; i < blocks[stage - 1]; i++) {
                String block = "layer" + stage + "." + i + ".";
                if (bottleneck) {
                    layout.convBn(block + "conv1", block + "bn1", width, in, 1);
                    layout.convBn(block + "conv2", block + "bn2", width, width, 3);
                    layout.convBn(block + "conv3", block + "bn3", out, width, 1);
                } else {
                    layout.convBn(block + "conv1", block + "bn1", width, in, 3);
                    layout.convBn(block + "conv2", block + "bn2", width, width, 3);
                }
                boolean project = i == 0 && (stage > 1 || in != out);
                if (project) {
                    String shortcut = block + "downsample.";
                    int conv = naming.convIndex;
                    layout.convBn(shortcut + conv, shortcut + (conv + 1), out, in, 1);
                }
                in = out;
            }
        }
        layout.add("fc.weight", Role.FC_WEIGHT, classes, in);
        layout.add("fc.bias", Role.FC_BIAS, classes);
        return List.copyOf(layout.entries);
    }

    private void stem(Stem stem, int channels) {
        switch (stem) {
            case IMAGENET -> convBn("conv1", "bn1", Stem.OUTPUT_CHANNELS, channels, 7);
            case SMALL -> convBn("conv1", "bn1", Stem.OUTPUT_CHANNELS, channels, 3);
            case DEEP -> {
                convBn("conv1.0", "conv1.1", Stem.DEEP_STEM_WIDTH, channels, 3);
                convBn("conv1.3", "conv1.4", Stem.DEEP_STEM_WIDTH, Stem.DEEP_STEM_WIDTH, 3);
                convBn("conv1.6", "bn1", Stem.OUTPUT_CHANNELS, Stem.DEEP_STEM_WIDTH, 3);
            }
        }
    }

    private void convBn(String conv, String norm, int out, int in, int kernel) {
        add(conv + ".weight", Role.CONV_WEIGHT, out, in, kernel, kernel);
        add(norm + ".weight", Role.BN_WEIGHT, out);
        add(norm + ".bias", Role.BN_BIAS, out);
        add(norm + ".running_mean", Role.BN_RUNNING_MEAN, out);
        add(norm + ".running_var", Role.BN_RUNNING_VAR, out);
    }

    private void add(String key, Role role, long... shape) {
        entries.add(new Entry(key, role, shape));
    }
}
