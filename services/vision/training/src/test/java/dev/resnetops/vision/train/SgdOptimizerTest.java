package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.util.List;
import org.junit.jupiter.api.Test;

class SgdOptimizerTest {

    private static final float LR = 0.1f;
    private static final float MOMENTUM = 0.9f;
    private static final float DECAY = 0.01f;

    @Test
    void followsTorchNesterovSgdOverTwoStepsWithDecayOnWeightsOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter weight = parameter(manager, Parameter.Type.WEIGHT, 1f, -2f);
            Parameter bias = parameter(manager, Parameter.Type.BIAS, 0.5f, 0.25f);
            SgdOptimizer sgd = new SgdOptimizer(List.of(weight, bias), MOMENTUM, true, DECAY, manager);
            float[] g1 = {0.3f, -0.4f};
            float[] g2 = {-0.2f, 0.6f};
            for (float[] g : List.of(g1, g2)) {
                sgd.step(LR, List.of(manager.create(g), manager.create(g)));
            }
            // torch.optim.SGD(nesterov=True): g += wd * w; buf = m * buf + g; w -= lr * (g + m * buf)
            assertThat(weight.getArray().toFloatArray()).containsExactly(expected(new float[] {1f, -2f}, DECAY, g1, g2),
                    within(1e-6f));
            assertThat(bias.getArray().toFloatArray()).containsExactly(expected(new float[] {0.5f, 0.25f}, 0f, g1, g2),
                    within(1e-6f));
        }
    }

    private static float[] expected(float[] start, float decay, float[]... gradients) {
        float[] w = start.clone();
        float[] buffer = new float[w.length];
        for (float[] gradient : gradients) {
            for (int i = 0; i < w.length; i++) {
                float g = gradient[i] + decay * w[i];
                buffer[i] = MOMENTUM * buffer[i] + g;
                w[i] -= LR * (g + MOMENTUM * buffer[i]);
            }
        }
        return w;
    }

    private static Parameter parameter(NDManager manager, Parameter.Type type, float... values) {
        Parameter p = Parameter.builder().setName(type.name().toLowerCase()).setType(type)
                .optShape(new Shape(values.length)).optInitializer(Initializer.ZEROS).build();
        p.initialize(manager, DataType.FLOAT32);
        p.getArray().addi(manager.create(values));
        return p;
    }
}
