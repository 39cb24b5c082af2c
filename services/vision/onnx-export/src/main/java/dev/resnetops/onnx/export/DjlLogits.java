package dev.resnetops.onnx.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** Inference-mode forward pass of a DJL block (BN on running statistics), as the evaluator runs it. */
final class DjlLogits {

    private DjlLogits() {}

    static float[][] of(Block block, float[] data, int batch, int channels, int height, int width) {
        try (NDManager scope = NDManager.newBaseManager()) {
            NDArray input = scope.create(data, new Shape(batch, channels, height, width));
            NDArray logits = block.forward(new ParameterStore(scope, false), new NDList(input), false)
                    .singletonOrThrow();
            float[] flat = logits.toFloatArray();
            int classes = (int) logits.getShape().get(1);
            float[][] rows = new float[batch][classes];
            for (int i = 0; i < batch; i++) {
                System.arraycopy(flat, i * classes, rows[i], 0, classes);
            }
            return rows;
        }
    }
}
