package dev.resnetops.cli.platform;

import dev.resnetops.vision.config.TrainingConfig;
import picocli.CommandLine.Option;

/**
 * The training budget of {@code mlops demo}, the same for both runs. The defaults finish each run in a
 * few minutes on 2 CPU cores (a seeded subset of the training images, two short epochs); on a GPU, raise
 * them, e.g. {@code --epochs 10 --max-train-samples 0 --max-test-samples 0 --batch-size 512 --lr 0.2
 * --warmup-epochs 1} (the reference recipe).
 */
final class DemoBudget {

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "Epochs per run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.05", description = "Base learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--warmup-epochs", paramLabel = "E", defaultValue = "0.5", description = "Default: ${DEFAULT-VALUE}.")
    double warmupEpochs;

    @Option(names = "--max-train-samples", paramLabel = "N", defaultValue = "1536",
            description = "Train on a seeded subset of N images, 0 = all 60,000 (default: ${DEFAULT-VALUE}).")
    int maxTrainSamples;

    @Option(names = "--max-test-samples", paramLabel = "N", defaultValue = "1000",
            description = "Validate each epoch on N test images, 0 = all; the evaluator always tests on all of them "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxTestSamples;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    /** The budget on top of the defaults; the recipe (model, schedule, label smoothing) is set per run. */
    TrainingConfig.Builder config() {
        return TrainingConfig.builder().epochs(epochs).batchSize(batchSize).learningRate(learningRate)
                .warmupEpochs(warmupEpochs).maxTrainSamples(maxTrainSamples).maxTestSamples(maxTestSamples).seed(seed);
    }
}
