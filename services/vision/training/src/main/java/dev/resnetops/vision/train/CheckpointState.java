package dev.resnetops.vision.train;

import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.weights.InitReport;
import java.util.List;

/**
 * The JSON half of a checkpoint ({@code state.json}); the tensors sit beside it in
 * {@code model.params} and {@code optimizer.ndlist}.
 *
 * <p>The data order of an epoch is a function of (seed, epoch) and each sample's augmentation of
 * (seed, epoch, index), so {@code epochsCompleted} is the whole sampler/RNG position.
 */
public record CheckpointState(
        int formatVersion,
        TrainingConfig config,
        String preset,
        int numClasses,
        List<String> classes,
        Preprocessing preprocessing,
        String datasetName,
        String datasetHash,
        int epochsCompleted,
        long globalStep,
        DynamicLossScaler.State lossScaler,
        List<EpochMetrics> history,
        String precision,
        String device,
        String createdAt,
        InitReport init) {

    public static final int FORMAT_VERSION = 1;

    public CheckpointState {
        classes = List.copyOf(classes);
        history = List.copyOf(history);
        if (init == null) {
            init = InitReport.random(); // checkpoints written before fine-tuning existed
        }
    }
}
