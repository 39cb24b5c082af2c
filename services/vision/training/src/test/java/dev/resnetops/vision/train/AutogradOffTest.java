package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.ResNet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AutogradOffTest {

    @Test
    void evaluationForwardOnAFreshThreadRecordsNoGraph() throws Exception {
        Engine.getInstance();
        // A thread other than the engine's starts with libtorch's grad mode on: the pitfall this class is for.
        boolean[] seen = CompletableFuture.supplyAsync(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                ResNet net = ResNet.of(ModelZoo.preset("resnet18-small"), 10);
                net.initialize(manager, new Shape(1, 1, 16, 16));
                NDArray input = manager.randomNormal(new Shape(2, 1, 16, 16));
                boolean before = JniUtils.isGradMode();
                boolean outputRecordsGraph;
                boolean inside;
                try (AutogradOff off = new AutogradOff()) {
                    inside = JniUtils.isGradMode();
                    NDArray logits = net.block().forward(new ParameterStore(manager, false), new NDList(input), false)
                            .singletonOrThrow();
                    outputRecordsGraph = logits.hasGradient();
                }
                return new boolean[] {before, inside, outputRecordsGraph, JniUtils.isGradMode()};
            }
        }).get();
        assertThat(seen[0]).as("grad mode on a fresh thread").isTrue();
        assertThat(seen[1]).as("grad mode inside").isFalse();
        assertThat(seen[2]).as("logits attached to a graph").isFalse();
        assertThat(seen[3]).as("grad mode restored").isTrue();
    }
}
