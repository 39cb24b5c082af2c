package dev.resnetops.vision.model;

import java.util.Set;

/**
 * A named architecture: depth, stem and the stages with the average-pool shortcut. A description
 * only, so that job validation and the API's preset list need no engine; the training engine builds
 * the network from it ({@code ResNet.of(preset, classes)} in vision-training).
 *
 * @param name the name users type ({@code resnet50-paper}, {@code resnet50-d-small}, ...)
 * @param description one line for {@code mlops models}
 */
public record ModelPreset(String name, int depth, Stem stem, Set<Integer> avgPoolShortcutStages, String description) {

    public ModelPreset {
        avgPoolShortcutStages = Set.copyOf(avgPoolShortcutStages);
    }

    /** The input size the preset is designed for: 224 px with the ImageNet and deep stems, 32 px with the small one. */
    public int defaultInputSize() {
        return stem == Stem.SMALL ? 32 : 224;
    }
}
