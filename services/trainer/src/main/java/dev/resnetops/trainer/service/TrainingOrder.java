package dev.resnetops.trainer.service;

import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.vision.config.InvalidConfigException;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A StartTraining command decoded once, for the claim, the MLflow run and the training to read alike:
 * its configuration as vision's {@link TrainingConfig} (the rules the orchestrator validated it with) and
 * its shards as a path.
 */
public record TrainingOrder(UUID jobId, UUID datasetVersionId, Path shards, TrainingConfig config, String experiment) {

    /**
     * @throws InvalidConfigException when the configuration breaks TrainingConfig's rules
     * @throws InvalidPathException   when the shard location is not a path on this machine
     */
    public static TrainingOrder of(StartTraining command) {
        return new TrainingOrder(command.jobId(), command.datasetVersionId(), Path.of(command.shardLocation()),
                TrainingConfigCodec.fromTree(command.config()), command.experiment());
    }
}
