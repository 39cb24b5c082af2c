package dev.resnetops.vision.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.ResNet;
import java.nio.file.Files;
import java.nio.file.Path;

/** A model restored from a training checkpoint, with the state that describes it. */
public record TrainedModel(Block block, CheckpointState state, Path checkpointDir) {

    /**
     * Loads from a checkpoint folder or from a run folder holding {@code checkpoint/}.
     *
     * @param manager owns the parameters; close it to free them
     */
    public static TrainedModel load(Path path, NDManager manager) {
        Path candidate = Files.isRegularFile(path.resolve(Checkpoint.STATE_FILE)) ? path
                : path.resolve(TrainingRun.CHECKPOINT_DIR);
        Path dir = Checkpoint.locate(candidate).orElseThrow(() -> new IllegalArgumentException(
                "no checkpoint at " + path + ": expected " + Checkpoint.STATE_FILE + " there or in "
                        + path.resolve(TrainingRun.CHECKPOINT_DIR) + " (the --out folder of 'mlops train')"));
        CheckpointState state = Checkpoint.readState(dir);
        ResNet net = ResNet.of(ModelZoo.preset(state.preset()), state.numClasses());
        int size = state.preprocessing().inputSize();
        net.initialize(manager, new Shape(1, state.preprocessing().channels(), size, size));
        Checkpoint.loadModel(dir, net.block(), manager);
        return new TrainedModel(net.block(), state, dir);
    }
}
