package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.ResNet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SgdOptimizerTest {

    private static final float LR = 0.1f;
    private static final float MOMENTUM = 0.9f;
    private static final float DECAY = 0.01f;

    @Test
    void weightDecayAppliesToConvAndLinearWeightsOnlyNotBatchNormOrBias() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.of(ModelZoo.preset("resnet18-small"), 10);
            net.initialize(manager, new Shape(1, 3, 32, 32));
            List<Parameter> trainable = net.block().getParameters().values().stream()
                    .filter(Parameter::requiresGradient).toList();
            List<float[]> before = new ArrayList<>();
            List<NDArray> zeroGradients = new ArrayList<>();
            for (Parameter p : trainable) {
                before.add(p.getArray().toFloatArray());
                zeroGradients.add(manager.zeros(p.getArray().getShape()));
            }
            SgdOptimizer sgd = new SgdOptimizer(trainable, 0.9, true, 0.1, manager);
            sgd.step(1.0, zeroGradients); // with a zero gradient only weight decay moves anything

            int decayed = 0;
            for (int i = 0; i < trainable.size(); i++) {
                Parameter p = trainable.get(i);
                float[] after = p.getArray().toFloatArray();
                boolean moved = !java.util.Arrays.equals(before.get(i), after);
                boolean isWeight = p.getType() == Parameter.Type.WEIGHT;
                assertThat(moved).as(p.getName() + " (" + p.getType() + ") moved").isEqualTo(isWeight
                        && nonZero(before.get(i)));
                assertThat(sgd.decays(i)).isEqualTo(isWeight);
                if (isWeight) {
                    decayed++;
                }
            }
            assertThat(decayed).isEqualTo(21); // 20 convolutions (stem + 16 + 3 projections) + the classifier
        }
    }

    @Test
    void aScaledParameterTakesTheMultipliedStepAndTheOthersTheBaseOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter body = Parameter.builder().setName("body").setType(Parameter.Type.WEIGHT).build();
            Parameter head = Parameter.builder().setName("head").setType(Parameter.Type.BIAS).build();
            body.setArray(manager.create(new float[] {1f}));
            head.setArray(manager.create(new float[] {1f}));
            SgdOptimizer sgd = new SgdOptimizer(List.of(body, head), 0, false, 0, manager);
            sgd.scaleLearningRate(List.of(head), 10);

            sgd.step(0.1, List.of(manager.create(new float[] {0.5f}), manager.create(new float[] {0.5f})));

            assertThat(body.getArray().getFloat(0)).isCloseTo(1f - 0.05f, within(1e-6f));
            assertThat(head.getArray().getFloat(0)).isCloseTo(1f - 0.5f, within(1e-6f));
        }
    }

    @Test
    void nesterovUpdateMatchesPyTorchRule() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            w.setArray(manager.create(new float[] {1f}));
            SgdOptimizer sgd = new SgdOptimizer(List.of(w), 0.9, true, 0.01, manager);
            // step 1: d = g + wd*w = 0.5 + 0.01 = 0.51; buf = 0.51; nesterov d = 0.51 + 0.9*0.51 = 0.969
            sgd.step(0.1, List.of(manager.create(new float[] {0.5f})));
            assertThat(w.getArray().getFloat(0)).isCloseTo(1f - 0.0969f, within(1e-6f));
            // step 2: w = 0.9031; d = 0.5 + 0.009031 = 0.509031; buf = 0.9*0.51 + 0.509031 = 0.968031
            //         nesterov d = 0.509031 + 0.9*0.968031 = 1.3802589; w -= 0.13802589
            sgd.step(0.1, List.of(manager.create(new float[] {0.5f})));
            assertThat(w.getArray().getFloat(0)).isCloseTo(0.9031f - 0.13802589f, within(1e-6f));
        }
    }

    private static boolean nonZero(float[] values) {
        for (float v : values) {
            if (v != 0f) {
                return true;
            }
        }
        return false;
    }

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
