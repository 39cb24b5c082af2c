package dev.resnetops.vision.model;

import java.util.Map;
import java.util.TreeSet;

/**
 * The stage table of He et al. 2016 (Table 1): blocks per stage for each depth, stage widths and
 * the bottleneck expansion. The one copy every reader of the architecture uses: the network
 * builder, the ONNX exporter and the weight-import key layout.
 */
public final class ResNetStages {

    private static final Map<Integer, int[]> STAGE_BLOCKS = Map.of(
            18, new int[] {2, 2, 2, 2},
            34, new int[] {3, 4, 6, 3},
            50, new int[] {3, 4, 6, 3},
            101, new int[] {3, 4, 23, 3},
            152, new int[] {3, 8, 36, 3});

    private static final int[] STAGE_WIDTHS = {64, 128, 256, 512};

    private ResNetStages() {}

    /** @throws IllegalArgumentException for a depth the zoo does not have */
    public static int[] blocksPerStage(int depth) {
        int[] blocks = STAGE_BLOCKS.get(depth);
        if (blocks == null) {
            throw new IllegalArgumentException(
                    "ResNet depth must be one of " + new TreeSet<>(STAGE_BLOCKS.keySet()) + ", found " + depth);
        }
        return blocks.clone();
    }

    /** Width (3x3 channels) of Stage 1-4; a bottleneck's output is 4x this. */
    public static int stageWidth(int stage) {
        return STAGE_WIDTHS[stage - 1];
    }

    /** Output channels per stage width: 4 for bottleneck depths (50+), 1 for basic blocks. */
    public static int expansion(int depth) {
        return isBottleneck(depth) ? 4 : 1;
    }

    public static boolean isBottleneck(int depth) {
        return depth >= 50;
    }
}
