package dev.resnetops.cli.platform;

import dev.resnetops.vision.config.TrainingConfig;
import picocli.CommandLine.Option;

/**
 * The training budget of {@code mlops demo}, the same for both runs. The defaults finish each run in about
 * four minutes on 2 CPU cores and give the champion above 70% Top-1 (a seeded 3,072-image subset, two
 * epochs, batch 32 for twice the optimizer steps of 64 at the same cost, no augmentation: at 192 steps
 * pad-crop-flip costs about 9 points, docs/benchmarks.md "How much budget the demo needs"); on a GPU,
 * raise them, e.g. {@code --epochs 10 --max-train-samples 0 --max-test-samples 0 --batch-size 512 --lr 0.2
 * --warmup-epochs 1 --augment} (the reference recipe).
 */
final class DemoBudget {

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "Epochs per run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.1", description = "Base learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--warmup-epochs", paramLabel = "E", defaultValue = "0.5", description = "Default: ${DEFAULT-VALUE}.")
    double warmupEpochs;

    @Option(names = "--max-train-samples", paramLabel = "N", defaultValue = "3072",
            description = "Train on a seeded subset of N images, 0 = all 60,000 (default: ${DEFAULT-VALUE}).")
    int maxTrainSamples;

    @Option(names = "--max-test-samples", paramLabel = "N", defaultValue = "500",
            description = "Validate each epoch on N test images, 0 = all; the evaluator always tests on all of them "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxTestSamples;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--augment", negatable = true, defaultValue = "false",
            description = "Train-time augmentation (pad, crop, flip); off by default: it pays off over many epochs,"
                    + " and at the default budget it costs about 9 points of Top-1.")
    boolean augment;

    /** The budget on top of the defaults; the recipe (model, schedule, label smoothing) is set per run. */
    TrainingConfig.Builder config() {
        return TrainingConfig.builder().epochs(epochs).batchSize(batchSize).learningRate(learningRate)
                .warmupEpochs(warmupEpochs).maxTrainSamples(maxTrainSamples).maxTestSamples(maxTestSamples).seed(seed).augment(augment);
    }
}
