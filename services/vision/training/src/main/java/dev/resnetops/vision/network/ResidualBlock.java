package dev.resnetops.vision.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * relu(main(x) + shortcut(x)): a residual block's two paths and their join. It frees the paths'
 * outputs and their sum once the join has used them, for the reason given in
 * {@link ReleasingSequentialBlock}; an identity shortcut's output is the block's input, which belongs
 * to the caller and is left alone.
 */
final class ResidualBlock extends ParallelBlock {

    ResidualBlock(Block main, Block shortcut) {
        super(ResidualBlock::join, List.of(main, shortcut));
    }

    private static NDList join(List<NDList> paths) {
        NDArray sum = paths.get(0).singletonOrThrow().add(paths.get(1).singletonOrThrow());
        return new NDList(Activation.relu(sum));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray main = children.get(0).getValue().forward(parameterStore, inputs, training).singletonOrThrow();
        NDArray shortcut = children.get(1).getValue().forward(parameterStore, inputs, training).singletonOrThrow();
        NDArray sum = main.add(shortcut);
        NDArray output = Activation.relu(sum);
        sum.close();
        main.close();
        if (shortcut != input) {
            shortcut.close();
        }
        return new NDList(output);
    }
}
