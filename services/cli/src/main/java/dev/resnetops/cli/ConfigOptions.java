package dev.resnetops.cli;

import dev.resnetops.vision.config.Precision;
import dev.resnetops.vision.config.ScheduleKind;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Option;

/**
 * Training configuration flags. A flag given on the command line overrides the same field of
 * {@code --config}; anything not given keeps the file's value or the default.
 */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Training configuration, YAML or JSON.")
    Path configFile;

    @Option(names = {"-m", "--model"}, description = "Model preset (see 'mlops models'); default resnet50-paper-small.")
    String model;

    @Option(names = "--input-size", description = "Input side in pixels (default: the preset's, 32 for -small).")
    Integer inputSize;

    @Option(names = "--epochs") Integer epochs;

    @Option(names = "--batch-size") Integer batchSize;

    @Option(names = "--lr", description = "Base learning rate after warm-up.") Double learningRate;

    @Option(names = "--schedule", description = "cosine (paper) or step (baseline).",
            converter = EnumConverters.Schedule.class) ScheduleKind schedule;

    @Option(names = "--warmup-epochs") Double warmupEpochs;

    @Option(names = "--final-lr", description = "LR the cosine schedule ends at (default 0).") Double finalLearningRate;

    @Option(names = "--momentum") Double momentum;

    @Option(names = "--nesterov", negatable = true, description = "Nesterov momentum (default on).") Boolean nesterov;

    @Option(names = "--weight-decay", description = "On conv/linear weights only.") Double weightDecay;

    @Option(names = "--label-smoothing", description = "eps of label-smoothing cross-entropy (0 = plain).") Double labelSmoothing;

    @Option(names = "--precision", description = "auto, fp32 or fp16 (auto: fp16 mixed on GPU, fp32 on CPU).",
            converter = EnumConverters.PrecisionConverter.class) Precision precision;

    @Option(names = "--seed") Long seed;

    @Option(names = "--max-train-samples", description = "Budget: train on a fixed seeded subset (0 = all).")
    Integer maxTrainSamples;

    @Option(names = "--max-test-samples", description = "Budget: evaluate on a fixed seeded subset (0 = all).")
    Integer maxTestSamples;

    @Option(names = "--augment", negatable = true, description = "Train-time augmentation (default on).") Boolean augment;

    @Option(names = "--workers", description = "Data-loading threads.") Integer workers;

    public TrainingConfig resolve() {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("model", model);
        flags.put("inputSize", inputSize);
        flags.put("epochs", epochs);
        flags.put("batchSize", batchSize);
        flags.put("learningRate", learningRate);
        flags.put("schedule", schedule);
        flags.put("warmupEpochs", warmupEpochs);
        flags.put("finalLearningRate", finalLearningRate);
        flags.put("momentum", momentum);
        flags.put("nesterov", nesterov);
        flags.put("weightDecay", weightDecay);
        flags.put("labelSmoothing", labelSmoothing);
        flags.put("precision", precision);
        flags.put("seed", seed);
        flags.put("maxTrainSamples", maxTrainSamples);
        flags.put("maxTestSamples", maxTestSamples);
        flags.put("augment", augment);
        flags.put("workers", workers);
        flags.values().removeIf(Objects::isNull); // a flag not given keeps the file's value or the default
        return TrainingConfigCodec.read(configFile, flags);
    }
}
