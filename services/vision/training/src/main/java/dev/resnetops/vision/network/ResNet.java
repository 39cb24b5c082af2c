package dev.resnetops.vision.network;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;
import dev.resnetops.vision.config.FreezePoint;
import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.model.ResNetStages;
import dev.resnetops.vision.model.Stem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A ResNet in the torchvision v1.5 layout, with the optional average-pool downsampling shortcut of
 * the improved ResNet-50 (Stage 4 only) and of ResNet-D (Stages 2-4).
 *
 * <p>Stages are numbered 1-4 as in the paper (torchvision's layer1..layer4); only Stages 2-4
 * downsample, so only they can take the pooled shortcut.
 */
public final class ResNet {

    private final int depth;
    private final int numClasses;
    private final Stem stem;
    private final Set<Integer> avgPoolShortcutStages;
    private final boolean zeroInitResidual;
    private final ReleasingSequentialBlock block;
    /** Top-level children up to the end of the stem (index 0) and of Stages 1-4 (1-4): where a freeze stops. */
    private final int[] partEnds = new int[5];
    private final List<BatchNorm> residualOutputNorms;
    private final Linear classifier;
    private final int classifierFanIn;

    private ResNet(Builder builder) {
        this.depth = builder.depth;
        this.numClasses = builder.numClasses;
        this.stem = builder.stem;
        this.avgPoolShortcutStages = Collections.unmodifiableSet(new TreeSet<>(builder.avgPoolShortcutStages));
        this.zeroInitResidual = builder.zeroInitResidual;
        BlockKind kind = blockKind(depth);
        List<BatchNorm> norms = new ArrayList<>();

        ReleasingSequentialBlock net = new ReleasingSequentialBlock();
        switch (stem) {
            case IMAGENET -> net.add(ResidualBlocks.conv(Stem.OUTPUT_CHANNELS, 7, 2))
                    .add(ResidualBlocks.batchNorm()).add(Activation::relu);
            case SMALL -> net.add(ResidualBlocks.conv(Stem.OUTPUT_CHANNELS, 3, 1))
                    .add(ResidualBlocks.batchNorm()).add(Activation::relu);
            case DEEP -> net.add(ResidualBlocks.conv(Stem.DEEP_STEM_WIDTH, 3, 2))
                    .add(ResidualBlocks.batchNorm()).add(Activation::relu)
                    .add(ResidualBlocks.conv(Stem.DEEP_STEM_WIDTH, 3, 1))
                    .add(ResidualBlocks.batchNorm()).add(Activation::relu)
                    .add(ResidualBlocks.conv(Stem.OUTPUT_CHANNELS, 3, 1))
                    .add(ResidualBlocks.batchNorm()).add(Activation::relu);
        }
        if (stem != Stem.SMALL) {
            net.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        }
        partEnds[0] = net.getChildren().size();
        int inChannels = Stem.OUTPUT_CHANNELS;
        int[] blocks = blocksPerStage(depth);
        for (int stage = 1; stage <= 4; stage++) {
            int width = ResNetStages.stageWidth(stage);
            int stride = stage == 1 ? 1 : 2;
            for (int i = 0; i < blocks[stage - 1]; i++) {
                boolean first = i == 0;
                boolean project = first && (stride != 1 || inChannels != width * kind.expansion);
                net.add(ResidualBlocks.create(
                        kind,
                        width,
                        first ? stride : 1,
                        project,
                        avgPoolShortcutStages.contains(stage),
                        norms::add));
                inChannels = width * kind.expansion;
            }
            partEnds[stage] = net.getChildren().size();
        }
        this.classifierFanIn = inChannels;
        this.classifier = Linear.builder().setUnits(numClasses).build();
        net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock()).add(classifier);
        this.block = net;
        this.residualOutputNorms = List.copyOf(norms);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The network; call {@link #initialize} before the first forward pass. */
    public Block block() {
        return block;
    }

    /**
     * Initialises the parameters the way torchvision does, so our runs are comparable with a
     * PyTorch reference: Kaiming-normal (fan_out, ReLU) convolutions, BN gamma 1 and beta 0,
     * zero gamma on the BN closing each residual branch when enabled, and the classifier
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and bias. Uses the engine's random seed.
     * The parameters are fp32.
     */
    public void initialize(NDManager manager, Shape inputShape) {
        initialize(manager, inputShape, DataType.FLOAT32);
    }

    /**
     * {@link #initialize(NDManager, Shape)} with parameters of {@code dataType}. Training follows the
     * parameters' type; float64 makes rounding negligible, so a comparison with PyTorch over many steps
     * is not swamped by fp32 rounding differences that the steps amplify.
     */
    public void initialize(NDManager manager, Shape inputShape, DataType dataType) {
        // Xavier with magnitude 2 over fan_out, Gaussian = Kaiming normal, mode fan_out, for ReLU.
        block.setInitializer(
                new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2f),
                Parameter.Type.WEIGHT);
        float bound = (float) (1.0 / Math.sqrt(classifierFanIn));
        classifier.setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
        classifier.setInitializer(new UniformInitializer(bound), Parameter.Type.BIAS);
        if (zeroInitResidual) {
            for (BatchNorm norm : residualOutputNorms) {
                norm.setInitializer(Initializer.ZEROS, Parameter.Type.GAMMA);
            }
        }
        block.initialize(manager, dataType, inputShape);
    }

    /**
     * Freezes the network up to and including {@code point} for fine-tuning: its parameters get no
     * gradient, so the optimizer neither updates nor decays them. With {@code batchNormStatistics}
     * its BatchNorms also run as in evaluation (normalise with their running statistics and keep
     * them); without, they follow the new data's batches while their gamma and beta stay fixed.
     * Call after {@link #initialize} and before collecting the trainable parameters.
     */
    public void freeze(FreezePoint point, boolean batchNormStatistics) {
        if (point == FreezePoint.NONE) {
            return;
        }
        int children = partEnds[point.frozenStages()];
        List<Block> frozen = block.getChildren().values().subList(0, children);
        frozen.forEach(child -> child.freezeParameters(true));
        if (batchNormStatistics) {
            block.runInEvaluationMode(children);
        }
    }

    /** The classifier's weight and bias, e.g. for a learning-rate multiplier of a new head. */
    public List<Parameter> classifierParameters() {
        return classifier.getParameters().values();
    }

    /** Learnable parameters (BN running statistics are buffers, not parameters, as in PyTorch). */
    public static long countParameters(Block initialized) {
        long total = 0;
        for (Parameter p : initialized.getParameters().values()) {
            if (p.requiresGradient()) {
                total += p.getArray().size();
            }
        }
        return total;
    }

    /** The network of a zoo preset for {@code numClasses} outputs (zero-initialised residual gammas). */
    public static ResNet of(ModelPreset preset, int numClasses) {
        return builder()
                .setDepth(preset.depth())
                .setNumClasses(numClasses)
                .optStem(preset.stem())
                .optAvgPoolShortcutStages(preset.avgPoolShortcutStages())
                .build();
    }

    /**
     * Learnable parameters of {@code preset} for {@code numClasses} outputs and {@code channels}
     * input channels. Zero-initialised, so it costs an allocation and no random numbers.
     */
    public static long parameterCount(ModelPreset preset, int numClasses, int channels) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = of(preset, numClasses).block();
            block.setInitializer(Initializer.ZEROS, (Parameter p) -> true);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 32, 32));
            return countParameters(block);
        }
    }

    /**
     * Residual blocks in each of Stages 1-4 for a depth ({@link ResNetStages}).
     *
     * @throws IllegalArgumentException for a depth the zoo does not have
     */
    public static int[] blocksPerStage(int depth) {
        return ResNetStages.blocksPerStage(depth);
    }

    private static BlockKind blockKind(int depth) {
        return ResNetStages.isBottleneck(depth) ? BlockKind.BOTTLENECK : BlockKind.BASIC;
    }

    public int depth() {
        return depth;
    }

    public int numClasses() {
        return numClasses;
    }

    public Stem stem() {
        return stem;
    }

    public Set<Integer> avgPoolShortcutStages() {
        return avgPoolShortcutStages;
    }

    /** Required settings are {@code set*}, optional ones {@code opt*}; {@link #build} validates. */
    public static final class Builder {
        private int depth;
        private int numClasses;
        private Stem stem = Stem.IMAGENET;
        private Set<Integer> avgPoolShortcutStages = Set.of();
        private boolean zeroInitResidual = true;

        private Builder() {}

        public Builder setDepth(int depth) {
            this.depth = depth;
            return this;
        }

        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        public Builder optStem(Stem stem) {
            this.stem = stem;
            return this;
        }

        /** Stages (2, 3, 4) whose downsampling shortcut average-pools before its 1x1 convolution. */
        public Builder optAvgPoolShortcutStages(Set<Integer> stages) {
            this.avgPoolShortcutStages = Set.copyOf(stages);
            return this;
        }

        public Builder optZeroInitResidual(boolean zeroInitResidual) {
            this.zeroInitResidual = zeroInitResidual;
            return this;
        }

        public ResNet build() {
            blocksPerStage(depth); // validates the depth
            if (numClasses < 1) {
                throw new IllegalArgumentException("numClasses must be at least 1, found " + numClasses);
            }
            if (stem == null) {
                throw new IllegalArgumentException("stem must be set (IMAGENET or SMALL)");
            }
            for (int stage : avgPoolShortcutStages) {
                if (stage < 2 || stage > 4) {
                    throw new IllegalArgumentException("average-pool shortcut stages must be within 2-4 (the stages "
                            + "that downsample), found " + stage);
                }
            }
            return new ResNet(this);
        }
    }
}
