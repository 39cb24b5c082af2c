package dev.resnetops.vision.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import dev.resnetops.vision.config.ConfigProblem.Rule;
import dev.resnetops.vision.model.ModelZoo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that defines a training run. The same object is read from YAML/JSON files and CLI
 * flags, travels in job requests and is logged as MLflow parameters, so it round-trips exactly and
 * every instance is valid: {@link Builder#build()} rejects bad values, naming each field.
 *
 * <p>Defaults are the paper's recipe at a Fashion-MNIST/CIFAR scale: average-pool Stage-4 shortcut
 * (small stem), label smoothing 0.1, cosine decay after one warm-up epoch, Nesterov SGD. A default that
 * depends on another field follows it, so a request that sets only that field stays valid: the warm-up
 * is one epoch, or half the run when the run is a single epoch (see {@link #defaultWarmupEpochs}).
 *
 * @param maxTrainSamples 0 = the whole train split; otherwise a fixed, seeded subset (the budget)
 * @param maxTestSamples 0 = the whole test split
 * @param augment train-time augmentation on (the default) or off
 * @param workers data-loading threads
 * @param init where the weights come from ({@link InitSource}: empty = random initialisation)
 * @param freeze the part of the network fine-tuning leaves unchanged (needs {@code init})
 * @param freezeBatchNorm whether the frozen part's BatchNorms also keep their running statistics
 *     (normalise with them, as in evaluation) instead of following the new data's batches
 * @param headLearningRateMultiplier the classifier's learning rate relative to the rest: a new head
 *     starts from random weights and can take a larger step than the pretrained body
 * @param normalization the mean and std images are normalised with: by default those the starting
 *     weights were trained with ({@link Normalization#AUTO})
 */
@JsonDeserialize(builder = TrainingConfig.Builder.class)
@JsonPropertyOrder(alphabetic = false)
public record TrainingConfig(
        String model,
        int inputSize,
        int epochs,
        int batchSize,
        double learningRate,
        ScheduleKind schedule,
        double warmupEpochs,
        double finalLearningRate,
        double[] stepMilestones,
        double stepGamma,
        double momentum,
        boolean nesterov,
        double weightDecay,
        double labelSmoothing,
        Precision precision,
        long seed,
        int maxTrainSamples,
        int maxTestSamples,
        boolean augment,
        int workers,
        int lossScaleGrowthInterval,
        String init,
        FreezePoint freeze,
        boolean freezeBatchNorm,
        double headLearningRateMultiplier,
        Normalization normalization) {

    public static final String DEFAULT_MODEL = "resnet50-paper-small";

    /**
     * The warm-up when the request does not set one: one epoch, capped at half the run. A fixed default
     * of one epoch made {@code epochs: 1} alone invalid (the warm-up must end before training does) with a
     * complaint about a field the user never set.
     */
    public static double defaultWarmupEpochs(int epochs) {
        return Math.min(1.0, epochs / 2.0);
    }

    public TrainingConfig {
        stepMilestones = stepMilestones.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .model(model).inputSize(inputSize).epochs(epochs).batchSize(batchSize)
                .learningRate(learningRate).schedule(schedule).warmupEpochs(warmupEpochs)
                .finalLearningRate(finalLearningRate).stepMilestones(stepMilestones).stepGamma(stepGamma)
                .momentum(momentum).nesterov(nesterov).weightDecay(weightDecay).labelSmoothing(labelSmoothing)
                .precision(precision).seed(seed).maxTrainSamples(maxTrainSamples).maxTestSamples(maxTestSamples)
                .augment(augment).workers(workers).lossScaleGrowthInterval(lossScaleGrowthInterval)
                .init(init).freeze(freeze).freezeBatchNorm(freezeBatchNorm)
                .headLearningRateMultiplier(headLearningRateMultiplier).normalization(normalization);
    }

    /** {@link #init()} parsed (valid: {@link Builder#build()} checked it). */
    public InitSource initSource() {
        return InitSource.parse(init);
    }

    @Override
    public double[] stepMilestones() {
        return stepMilestones.clone();
    }

    /**
     * Flat string parameters, e.g. for MLflow ({@code log-batch} takes strings), named and ordered as
     * in the JSON form so the two never disagree.
     */
    public Map<String, String> toParameters() {
        Map<String, String> params = new LinkedHashMap<>();
        TrainingConfigCodec.toTree(this).fields().forEachRemaining(field -> params.put(field.getKey(),
                field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString()));
        return params;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrainingConfig that && toParameters().equals(that.toParameters());
    }

    @Override
    public int hashCode() {
        return toParameters().hashCode();
    }

    @Override
    public String toString() {
        return "TrainingConfig" + toParameters();
    }

    /** Defaults live here; {@code build()} validates. Also Jackson's builder for JSON/YAML. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private String model = DEFAULT_MODEL;
        private Integer inputSize;
        private int epochs = 10;
        private int batchSize = 128;
        private double learningRate = 0.1;
        private ScheduleKind schedule = ScheduleKind.COSINE;
        /** Null until set: the default follows {@code epochs} ({@link #defaultWarmupEpochs}). */
        private Double warmupEpochs;
        private double finalLearningRate = 0.0;
        private double[] stepMilestones = {0.5, 0.75};
        private double stepGamma = 0.1;
        private double momentum = 0.9;
        private boolean nesterov = true;
        private double weightDecay = 5e-4;
        private double labelSmoothing = 0.1;
        private Precision precision = Precision.AUTO;
        private long seed = 0;
        private int maxTrainSamples = 0;
        private int maxTestSamples = 0;
        private boolean augment = true;
        private int workers = 2;
        private int lossScaleGrowthInterval = 2000;
        private String init = "";
        private FreezePoint freeze = FreezePoint.NONE;
        private boolean freezeBatchNorm = true;
        private double headLearningRateMultiplier = 1.0;
        private Normalization normalization = Normalization.AUTO;

        public Builder model(String model) { this.model = model; return this; }
        /** Default: the preset's design size (32 px small stem, 224 px ImageNet stem). */
        public Builder inputSize(int inputSize) { this.inputSize = inputSize; return this; }
        public Builder epochs(int epochs) { this.epochs = epochs; return this; }
        public Builder batchSize(int batchSize) { this.batchSize = batchSize; return this; }
        public Builder learningRate(double learningRate) { this.learningRate = learningRate; return this; }
        public Builder schedule(ScheduleKind schedule) { this.schedule = schedule; return this; }
        /** Default: one epoch, or half the run for a single-epoch run. */
        public Builder warmupEpochs(double warmupEpochs) { this.warmupEpochs = warmupEpochs; return this; }
        public Builder finalLearningRate(double finalLearningRate) { this.finalLearningRate = finalLearningRate; return this; }
        public Builder stepMilestones(double[] stepMilestones) { this.stepMilestones = stepMilestones == null ? null : stepMilestones.clone(); return this; }
        public Builder stepGamma(double stepGamma) { this.stepGamma = stepGamma; return this; }
        public Builder momentum(double momentum) { this.momentum = momentum; return this; }
        public Builder nesterov(boolean nesterov) { this.nesterov = nesterov; return this; }
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }
        public Builder labelSmoothing(double labelSmoothing) { this.labelSmoothing = labelSmoothing; return this; }
        public Builder precision(Precision precision) { this.precision = precision; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder maxTrainSamples(int maxTrainSamples) { this.maxTrainSamples = maxTrainSamples; return this; }
        public Builder maxTestSamples(int maxTestSamples) { this.maxTestSamples = maxTestSamples; return this; }
        /** Train-time augmentation (pad-crop-flip or RandomResizedCrop-flip); off only to debug or memorise. */
        public Builder augment(boolean augment) { this.augment = augment; return this; }
        public Builder workers(int workers) { this.workers = workers; return this; }
        public Builder lossScaleGrowthInterval(int lossScaleGrowthInterval) { this.lossScaleGrowthInterval = lossScaleGrowthInterval; return this; }
        /** A weights file or checkpoint folder, {@code job:<id>} or {@code <model>@<version|alias>}; empty: random. */
        public Builder init(String init) { this.init = init; return this; }
        public Builder freeze(FreezePoint freeze) { this.freeze = freeze; return this; }
        public Builder freezeBatchNorm(boolean freezeBatchNorm) { this.freezeBatchNorm = freezeBatchNorm; return this; }
        public Builder headLearningRateMultiplier(double headLearningRateMultiplier) { this.headLearningRateMultiplier = headLearningRateMultiplier; return this; }
        public Builder normalization(Normalization normalization) { this.normalization = normalization; return this; }

        /** @throws InvalidConfigException naming every field that is missing or out of range */
        public TrainingConfig build() {
            List<ConfigProblem> problems = new ArrayList<>();
            boolean knownModel = ModelZoo.contains(model);
            if (model == null) {
                problems.add(problem("model", Rule.REQUIRED, null, "required: a preset name (run 'mlops models' for the list)"));
            } else if (!knownModel) {
                problems.add(problem("model", Rule.NOT_ONE_OF, model,
                        "unknown preset '" + model + "' (run 'mlops models' for the list)"));
            }
            int size = inputSize != null ? inputSize
                    : knownModel ? ModelZoo.preset(model).defaultInputSize() : 32;
            inRange(problems, size >= 8 && size <= 1024, "inputSize", "must be in [8, 1024]", size);
            inRange(problems, epochs >= 1 && epochs <= 10_000, "epochs", "must be in [1, 10000]", epochs);
            inRange(problems, batchSize >= 1 && batchSize <= 65_536, "batchSize", "must be in [1, 65536]", batchSize);
            inRange(problems, learningRate > 0 && learningRate <= 100, "learningRate", "must be in (0, 100]", learningRate);
            check(problems, schedule != null, "schedule", Rule.REQUIRED, "must be 'cosine' or 'step'", schedule);
            double warmup = warmupEpochs != null ? warmupEpochs : defaultWarmupEpochs(epochs);
            // Only a warm-up the request set is checked: the default fits any valid epochs, and with invalid
            // epochs the complaint belongs to epochs alone.
            inRange(problems, warmupEpochs == null || warmup >= 0 && warmup < epochs, "warmupEpochs",
                    "must be >= 0 and less than epochs (" + epochs + "): set warmupEpochs below " + epochs
                            + " (e.g. " + defaultWarmupEpochs(epochs) + ") or raise epochs", warmup);
            inRange(problems, finalLearningRate >= 0 && finalLearningRate <= learningRate, "finalLearningRate",
                    "must be in [0, learningRate]", finalLearningRate);
            checkMilestones(problems);
            inRange(problems, stepGamma > 0 && stepGamma <= 1, "stepGamma", "must be in (0, 1]", stepGamma);
            inRange(problems, momentum >= 0 && momentum < 1, "momentum", "must be in [0, 1)", momentum);
            check(problems, !nesterov || momentum > 0, "nesterov", Rule.CONFLICT, "needs momentum > 0", nesterov);
            inRange(problems, weightDecay >= 0 && weightDecay < 1, "weightDecay", "must be in [0, 1)", weightDecay);
            inRange(problems, labelSmoothing >= 0 && labelSmoothing < 1, "labelSmoothing", "must be in [0, 1)", labelSmoothing);
            check(problems, precision != null, "precision", Rule.REQUIRED, "must be one of auto, fp32, fp16", precision);
            if (precision == Precision.BF16) {
                problems.add(problem("precision", Rule.UNSUPPORTED, precision, "bf16 is not supported: DJL 0.36 aborts"
                        + " the JVM on any bfloat16 array; use fp16 (mixed precision with loss scaling, for GPUs), fp32, or auto"));
            }
            inRange(problems, maxTrainSamples >= 0, "maxTrainSamples", "must be >= 0 (0 = all)", maxTrainSamples);
            inRange(problems, maxTestSamples >= 0, "maxTestSamples", "must be >= 0 (0 = all)", maxTestSamples);
            inRange(problems, workers >= 1 && workers <= 64, "workers", "must be in [1, 64]", workers);
            inRange(problems, lossScaleGrowthInterval >= 1, "lossScaleGrowthInterval", "must be >= 1", lossScaleGrowthInterval);
            String initValue = init == null ? "" : init.trim();
            try {
                InitSource.parse(initValue);
            } catch (IllegalArgumentException e) {
                problems.add(problem("init", Rule.WRONG_TYPE, init, e.getMessage()));
            }
            check(problems, freeze != null, "freeze", Rule.REQUIRED, "must be one of none, stem, stage1-stage4", freeze);
            check(problems, freeze == null || freeze == FreezePoint.NONE || !initValue.isEmpty(), "freeze", Rule.CONFLICT,
                    "needs init (freezing randomly initialised layers leaves them random): set init to a weights "
                            + "file, job:<id> or <model>@<alias>, or freeze none", freeze == null ? null : freeze.key());
            inRange(problems, headLearningRateMultiplier > 0 && headLearningRateMultiplier <= 1000,
                    "headLearningRateMultiplier", "must be in (0, 1000]", headLearningRateMultiplier);
            check(problems, normalization != null, "normalization", Rule.REQUIRED,
                    "must be one of auto, dataset, imagenet", normalization);
            if (!problems.isEmpty()) {
                throw new InvalidConfigException(problems);
            }
            return new TrainingConfig(model.trim().toLowerCase(), size, epochs, batchSize, learningRate, schedule,
                    warmup, finalLearningRate, stepMilestones, stepGamma, momentum, nesterov, weightDecay,
                    labelSmoothing, precision, seed, maxTrainSamples, maxTestSamples, augment, workers, lossScaleGrowthInterval,
                    initValue, freeze, freezeBatchNorm, headLearningRateMultiplier, normalization);
        }

        private void checkMilestones(List<ConfigProblem> problems) {
            if (stepMilestones == null) {
                problems.add(problem("stepMilestones", Rule.REQUIRED, null,
                        "must be a list of fractions of training, e.g. [0.5, 0.75]"));
                return;
            }
            double previous = 0;
            for (double milestone : stepMilestones) {
                // Each milestone lies in (previous, 1): one range rule covers "increasing" and "a fraction".
                if (!(milestone > previous && milestone < 1)) {
                    problems.add(problem("stepMilestones", Rule.OUT_OF_RANGE, stepMilestones,
                            "must be increasing fractions in (0, 1), found " + Arrays.toString(stepMilestones)));
                    return;
                }
                previous = milestone;
            }
        }

        private static void inRange(List<ConfigProblem> problems, boolean ok, String field, String bounds, Object value) {
            check(problems, ok, field, Rule.OUT_OF_RANGE, bounds, value);
        }

        private static void check(List<ConfigProblem> problems, boolean ok, String field, Rule rule, String requirement,
                                  Object value) {
            if (!ok) {
                problems.add(problem(field, rule, value, requirement + ", found " + value));
            }
        }

        private static ConfigProblem problem(String field, Rule rule, Object value, String message) {
            return new ConfigProblem(field, rule, TrainingConfigCodec.jsonValue(value), message);
        }
    }
}
