package dev.resnetops.vision.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every named preset: each depth (18-152) as the baseline, the paper's variant (average-pool
 * shortcut in Stage 4) and ResNet-D (Stages 2-4), each with the ImageNet stem and, with the
 * {@code -small} suffix, the small-image stem used for 28-32 px inputs; and timm's
 * {@code resnet<depth>d} (deep stem + ResNet-D shortcut), the variant people download most.
 */
public final class ModelZoo {

    private static final int[] DEPTHS = {18, 34, 50, 101, 152};
    private static final Map<String, ModelPreset> PRESETS = createPresets();

    private ModelZoo() {}

    public static List<ModelPreset> presets() {
        return List.copyOf(PRESETS.values());
    }

    /** The preset called {@code name}; the error lists the valid names. */
    public static ModelPreset preset(String name) {
        ModelPreset preset = name == null ? null : PRESETS.get(name.trim().toLowerCase());
        if (preset == null) {
            throw new IllegalArgumentException(
                    "unknown model preset '" + name + "'; known presets: " + String.join(", ", PRESETS.keySet()));
        }
        return preset;
    }

    public static boolean contains(String name) {
        return name != null && PRESETS.containsKey(name.trim().toLowerCase());
    }

    private static Map<String, ModelPreset> createPresets() {
        Map<String, ModelPreset> presets = new LinkedHashMap<>();
        for (Stem stem : List.of(Stem.IMAGENET, Stem.SMALL)) {
            String suffix = stem == Stem.SMALL ? "-small" : "";
            String stemNote = stem == Stem.SMALL ? ", small-image stem (3x3/1, no max-pool)" : "";
            for (int depth : DEPTHS) {
                String base = "resnet" + depth;
                add(presets, new ModelPreset(base + suffix, depth, stem, Set.of(),
                        "ResNet-" + depth + " (torchvision v1.5)" + stemNote));
                add(presets, new ModelPreset(base + "-paper" + suffix, depth, stem, Set.of(4),
                        "ResNet-" + depth + " + average-pool Stage-4 shortcut (the paper)" + stemNote));
                add(presets, new ModelPreset(base + "-d" + suffix, depth, stem, Set.of(2, 3, 4),
                        "ResNet-" + depth + "-D: average-pool shortcut in Stages 2-4" + stemNote));
            }
        }
        // timm's names, so that its published weights (resnet50d.*) are found under the same name
        for (int depth : DEPTHS) {
            add(presets, new ModelPreset("resnet" + depth + "d", depth, Stem.DEEP, Set.of(2, 3, 4),
                    "timm's resnet" + depth + "d: deep stem (three 3x3 convolutions) + average-pool shortcut "
                            + "in Stages 2-4"));
        }
        return Collections.unmodifiableMap(presets);
    }

    private static void add(Map<String, ModelPreset> presets, ModelPreset preset) {
        presets.put(preset.name(), preset);
    }

    /** Names only, in display order. */
    public static List<String> names() {
        return new ArrayList<>(PRESETS.keySet());
    }
}
