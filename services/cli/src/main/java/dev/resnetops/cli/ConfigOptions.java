package dev.resnetops.cli;

import dev.resnetops.vision.config.InitSource;
import dev.resnetops.vision.config.Precision;
import dev.resnetops.vision.config.ScheduleKind;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import java.nio.file.Files;
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

    @Option(names = "--init", paramLabel = "WEIGHTS", description = "Start from these weights instead of random ones: a "
            + "safetensors or PyTorch .pth file (torchvision, timm), an earlier run's checkpoint folder, job:<id>, "
            + "<model>@<version|alias> or weights:<uploaded name> (the last three on the platform).")
    String init;

    @Option(names = "--freeze", description = "Leave the network unchanged up to here while fine-tuning: none, stem, "
            + "stage1-stage4 (needs --init; default none).")
    String freeze;

    @Option(names = "--freeze-batch-norm", negatable = true, description = "The frozen part's BatchNorms keep their "
            + "running statistics (default on); --no-freeze-batch-norm lets them follow the new data.")
    Boolean freezeBatchNorm;

    @Option(names = "--head-lr-multiplier", description = "The classifier's learning rate relative to the rest "
            + "(default 1; 10 is common for a new head on a pretrained body).")
    Double headLearningRateMultiplier;

    @Option(names = "--normalization", description = "Normalise images with: auto (the statistics the --init "
            + "weights were trained with: ImageNet's for a weights file, the checkpoint's for a run; the dataset's for "
            + "random weights), dataset or imagenet. Default auto.")
    String normalization;

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
        flags.put("init", localPathMadeAbsolute(init));
        flags.put("freeze", freeze);
        flags.put("freezeBatchNorm", freezeBatchNorm);
        flags.put("headLearningRateMultiplier", headLearningRateMultiplier);
        flags.put("normalization", normalization);
        flags.values().removeIf(Objects::isNull); // a flag not given keeps the file's value or the default
        return TrainingConfigCodec.read(configFile, flags);
    }

    /** A relative path that exists here becomes absolute: the run (or the local trainer) may start elsewhere. */
    private static String localPathMadeAbsolute(String init) {
        if (init == null || !(InitSource.parse(init) instanceof InitSource.LocalPath local)) {
            return init;
        }
        Path path = Path.of(local.path());
        return Files.exists(path) ? path.toAbsolutePath().normalize().toString() : init;
    }
}
