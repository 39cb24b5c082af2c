package dev.resnetops.vision.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.util.Set;

/**
 * A named architecture: depth, stem and the stages with the average-pool shortcut.
 *
 * @param name the name users type ({@code resnet50-paper}, {@code resnet50-d-small}, ...)
 * @param description one line for {@code mlops models}
 */
public record ModelPreset(String name, int depth, Stem stem, Set<Integer> avgPoolShortcutStages, String description) {

    public ModelPreset {
        avgPoolShortcutStages = Set.copyOf(avgPoolShortcutStages);
    }

    /** Builds the network for {@code numClasses} outputs (zero-initialised residual gammas). */
    public ResNet build(int numClasses) {
        return ResNet.builder()
                .setDepth(depth)
                .setNumClasses(numClasses)
                .optStem(stem)
                .optAvgPoolShortcutStages(avgPoolShortcutStages)
                .build();
    }

    /** The input size the preset is designed for: 224 px with the ImageNet stem, 32 px with the small one. */
    public int defaultInputSize() {
        return stem == Stem.IMAGENET ? 224 : 32;
    }

    /**
     * Learnable parameters of this preset for {@code numClasses} outputs and {@code channels}
     * input channels. Zero-initialised, so it costs an allocation and no random numbers.
     */
    public long parameterCount(int numClasses, int channels) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = build(numClasses).block();
            block.setInitializer(Initializer.ZEROS, (Parameter p) -> true);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 32, 32));
            return ResNet.countParameters(block);
        }
    }
}
