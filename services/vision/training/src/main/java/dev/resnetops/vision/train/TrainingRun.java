package dev.resnetops.vision.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.resnetops.vision.config.ScheduleKind;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.data.BatchLoader;
import dev.resnetops.vision.data.ChannelStatistics;
import dev.resnetops.vision.data.DatasetManifest;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.data.Split;
import dev.resnetops.vision.data.TestSplit;
import dev.resnetops.vision.eval.EvaluationReport;
import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.ResNet;
import dev.resnetops.vision.weights.InitReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one model on one dataset with the paper's recipe, evaluating on the test split and
 * checkpointing after every epoch. A run whose output folder already holds a checkpoint of the
 * same configuration and dataset resumes after the last completed epoch.
 */
public final class TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
    public static final String CHECKPOINT_DIR = "checkpoint";

    private final TrainingConfig config;
    private final ShardedDataset dataset;
    private final Path outputDir;
    private final List<TrainingListener> listeners;
    private final Device device;
    private final BooleanSupplier cancelled;
    private final InitResolver initResolver;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    private TrainingRun(Builder builder) {
        this.config = builder.config;
        this.dataset = builder.dataset;
        this.outputDir = builder.outputDir;
        this.listeners = List.copyOf(builder.listeners);
        this.device = builder.device != null ? builder.device : defaultDevice();
        this.cancelled = builder.cancelled;
        this.initResolver = builder.initResolver;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The GPU when the engine sees one, else the CPU. */
    public static Device defaultDevice() {
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /** Stops the run at the next step; the partial epoch is dropped and a later run resumes. */
    public void requestStop() {
        stopRequested.set(true);
    }

    public TrainingResult run() {
        // Decided before any native array exists: bf16 must fail here, not abort the JVM later.
        PrecisionPolicy.Decision precision = PrecisionPolicy.resolve(config.precision(), device);
        LOG.info("precision: {}", precision.reason());
        ModelPreset preset = ModelZoo.preset(config.model());
        DatasetManifest manifest = dataset.manifest();
        int classes = manifest.classes().size();
        Engine.getInstance().setRandomSeed(Long.hashCode(config.seed()));

        try (NDManager manager = NDManager.newBaseManager(device)) {
            ResNet net = ResNet.of(preset, classes);
            net.initialize(manager, new Shape(1, manifest.channels(), config.inputSize(), config.inputSize()));
            Block block = net.block();
            Path checkpointDir = outputDir.resolve(CHECKPOINT_DIR);
            Optional<Path> existing = Checkpoint.locate(checkpointDir);
            Optional<CheckpointState> resumed = existing.map(Checkpoint::readState);
            // A resumed run's weights come from its own checkpoint; only a new run reads init.
            InitReport init = resumed.isPresent()
                    ? resumed.get().init()
                    : RunInitialisation.apply(config, net, preset, manifest.channels(), manifest.classes(), initResolver,
                            manager);
            logInit(init);
            // A resumed run keeps the preprocessing it started with, whatever the defaults have become since.
            Preprocessing preprocessing = resumed.map(CheckpointState::preprocessing)
                    .orElseGet(() -> Preprocessing.forDataset(manifest, config.inputSize()));
            if (resumed.isEmpty()) {
                ChannelStatistics statistics = statistics(manifest, init);
                LOG.info("normalisation: {}", statistics);
                preprocessing = preprocessing.withStatistics(statistics);
            }
            net.freeze(config.freeze(), config.freezeBatchNorm());
            MemoryFormat.CHANNELS_LAST.applyToWeights(block);
            List<Parameter> trainable = block.getParameters().values().stream()
                    .filter(Parameter::requiresGradient).toList();
            SgdOptimizer optimizer = new SgdOptimizer(trainable, config.momentum(), config.nesterov(),
                    config.weightDecay(), manager);
            optimizer.scaleLearningRate(net.classifierParameters(), config.headLearningRateMultiplier());
            DynamicLossScaler scaler = new DynamicLossScaler(DynamicLossScaler.DEFAULT_INITIAL_SCALE,
                    config.lossScaleGrowthInterval());

            List<EpochMetrics> history = new ArrayList<>();
            long globalStep = 0;
            if (existing.isPresent()) {
                CheckpointState state = resumed.get();
                requireSameRun(state, manifest, existing.get());
                Checkpoint.loadModel(existing.get(), block, manager);
                // Loading replaces the parameter arrays, and the new ones do not record gradients yet.
                trainable.forEach(p -> p.getArray().setRequiresGradient(true));
                MemoryFormat.CHANNELS_LAST.applyToWeights(block);
                optimizer.restore(Checkpoint.loadOptimizer(existing.get(), manager));
                scaler = DynamicLossScaler.restore(state.lossScaler(), config.lossScaleGrowthInterval());
                history.addAll(state.history());
                globalStep = state.globalStep();
                LOG.info("resuming from {} after epoch {} (step {})", existing.get(), state.epochsCompleted(), globalStep);
            }
            int firstEpoch = history.size() + 1;

            int trainSamples = limited(dataset.size(Split.TRAIN), config.maxTrainSamples());
            boolean dropLast = trainSamples >= config.batchSize();
            int stepsPerEpoch = dropLast ? trainSamples / config.batchSize()
                    : (trainSamples + config.batchSize() - 1) / config.batchSize();
            LearningRateSchedule schedule = schedule(stepsPerEpoch);
            TestSetEvaluator evaluator = new TestSetEvaluator(new TestSplit(dataset, preprocessing,
                    config.maxTestSamples(), config.batchSize(), config.workers(), config.seed()));

            RunStart start = new RunStart(config, device.toString(), precision.key(), precision.reason(),
                    ResNet.countParameters(block), trainSamples, evaluator.sampleCount(), stepsPerEpoch, firstEpoch,
                    manifest.name(), manifest.contentHash(), init, preprocessing);
            listeners.forEach(l -> l.onStart(start));

            TrainingStep step = new TrainingStep(block, trainable, optimizer, scaler,
                    new LabelSmoothingCrossEntropyLoss((float) config.labelSmoothing()), precision.mixed(),
                    MemoryFormat.CHANNELS_LAST, manager);
            EtaEstimator eta = new EtaEstimator(config.epochs(), stepsPerEpoch, evaluator.sampleCount());
            EvaluationReport lastReport = null;
            boolean stopped = false;
            double imagesPerSecondSum = 0;
            int epochsRun = 0;

            for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
                EpochTrainer.Outcome outcome = new EpochTrainer(step, schedule, eta, listeners, this::shouldStop)
                        .train(loader(preprocessing, epoch), epoch, config.epochs(), stepsPerEpoch, globalStep);
                if (outcome.interrupted()) {
                    stopped = true;
                    LOG.info("stopped during epoch {}; the last checkpoint is epoch {}", epoch, epoch - 1);
                    break;
                }
                globalStep = outcome.globalStep();
                long evalStart = System.nanoTime();
                lastReport = evaluator.evaluate(block, manager);
                eta.recordEvaluation((System.nanoTime() - evalStart) / 1e9);

                EpochMetrics metrics = new EpochMetrics(epoch, globalStep, outcome.meanLoss(), outcome.trainTop1(),
                        outcome.lastLearningRate(), lastReport.loss(), lastReport.top1(), lastReport.top5(),
                        outcome.imagesPerSecond(), outcome.seconds(), outcome.skippedSteps(), step.lossScale());
                history.add(metrics);
                imagesPerSecondSum += outcome.imagesPerSecond();
                epochsRun++;
                Checkpoint.save(checkpointDir, new CheckpointState(CheckpointState.FORMAT_VERSION, config,
                        preset.name(), classes, manifest.classes(), preprocessing, manifest.name(),
                        manifest.contentHash(), epoch, globalStep, step.lossScalerState(), history,
                        precision.key(), device.toString(), Instant.now().toString(), init), block, optimizer.state());
                listeners.forEach(l -> l.onEpoch(metrics));
                if (shouldStop() && epoch < config.epochs()) {
                    stopped = true;
                    break;
                }
            }
            if (lastReport == null && !stopped) {
                // Resumed a run whose epochs were all done: report the checkpoint's model. A run stopped before
                // its first epoch ended reports nothing: a cancel must not wait for a test pass.
                lastReport = evaluator.evaluate(block, manager);
            }
            TrainingResult result = new TrainingResult(config, history.size(), history, lastReport,
                    epochsRun == 0 ? 0 : imagesPerSecondSum / epochsRun, checkpointDir, device.toString(),
                    precision.key(), stopped);
            listeners.forEach(l -> l.onFinish(result));
            return result;
        }
    }

    /** The normalisation {@code config.normalization()} asks for, given the starting weights. */
    private ChannelStatistics statistics(DatasetManifest manifest, InitReport init) {
        return switch (config.normalization()) {
            case IMAGENET -> ChannelStatistics.imagenet(manifest.channels());
            case DATASET -> ChannelStatistics.ofDataset(manifest);
            case AUTO -> init.statistics() != null ? init.statistics() : ChannelStatistics.ofDataset(manifest);
        };
    }

    private void logInit(InitReport init) {
        if (init.isRandom()) {
            return;
        }
        LOG.info("starting weights: {}{} ({}, sha256 {}{})", init.source(),
                init.resolved().isEmpty() ? "" : " = " + init.resolved(), init.format(), init.sha256(),
                init.keyConvention().isEmpty() ? "" : ", " + init.keyConvention() + " key names");
        init.notes().forEach(note -> LOG.info("  {}", note));
        if (config.freeze() != dev.resnetops.vision.config.FreezePoint.NONE) {
            LOG.info("frozen up to {} (BatchNorm statistics {})", config.freeze().key(),
                    config.freezeBatchNorm() ? "frozen too" : "follow the new data");
        }
    }

    private boolean shouldStop() {
        return stopRequested.get() || (cancelled != null && cancelled.getAsBoolean());
    }

    private BatchLoader loader(Preprocessing preprocessing, int epoch) {
        int trainSamples = limited(dataset.size(Split.TRAIN), config.maxTrainSamples());
        return BatchLoader.builder()
                .dataset(dataset)
                .split(Split.TRAIN)
                .preprocessing(preprocessing)
                .augment(config.augment())
                .batchSize(config.batchSize())
                .shuffle(true)
                .seed(config.seed())
                .epoch(epoch)
                .limit(config.maxTrainSamples())
                .dropLast(trainSamples >= config.batchSize())
                .workers(config.workers())
                .build();
    }

    private LearningRateSchedule schedule(int stepsPerEpoch) {
        long total = (long) stepsPerEpoch * config.epochs();
        long warmup = Math.min(total - 1, Math.round(config.warmupEpochs() * stepsPerEpoch));
        return config.schedule() == ScheduleKind.COSINE
                ? new CosineWarmupSchedule(config.learningRate(), config.finalLearningRate(), warmup, total)
                : new StepSchedule(config.learningRate(), warmup, total, config.stepMilestones(), config.stepGamma());
    }

    private void requireSameRun(CheckpointState state, DatasetManifest manifest, Path dir) {
        if (!state.config().equals(config)) {
            throw new IllegalStateException("the checkpoint in " + dir + " was made with a different configuration "
                    + state.config() + "; to resume, use the same configuration; to start over, choose a new output folder");
        }
        if (!state.datasetHash().equals(manifest.contentHash())) {
            throw new IllegalStateException("the checkpoint in " + dir + " was trained on dataset version "
                    + state.datasetHash() + ", not " + manifest.contentHash() + "; choose a new output folder");
        }
    }

    private static int limited(int size, int limit) {
        return limit > 0 ? Math.min(limit, size) : size;
    }

    /** Required: config, dataset, output folder. Optional: listeners, device, cancellation. */
    public static final class Builder {
        private TrainingConfig config;
        private ShardedDataset dataset;
        private Path outputDir;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Device device;
        private BooleanSupplier cancelled;
        private InitResolver initResolver;

        private Builder() {}

        /**
         * Turns {@code init: job:<id>} and {@code <model>@<ref>} into a local weights file or
         * checkpoint folder; the trainer service gives one, a run without it accepts paths only.
         */
        public Builder optInitResolver(InitResolver initResolver) {
            this.initResolver = initResolver;
            return this;
        }

        public Builder setConfig(TrainingConfig config) {
            this.config = config;
            return this;
        }

        public Builder setDataset(ShardedDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder setOutputDir(Path outputDir) {
            this.outputDir = outputDir;
            return this;
        }

        public Builder addListener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** Polled every step; true stops the run like {@link #requestStop()}. */
        public Builder optCancellation(BooleanSupplier cancelled) {
            this.cancelled = cancelled;
            return this;
        }

        public TrainingRun build() {
            if (config == null || dataset == null || outputDir == null) {
                throw new IllegalArgumentException("a training run needs a config, a dataset and an output folder");
            }
            if (dataset.size(Split.TRAIN) == 0) {
                throw new IllegalArgumentException("dataset " + dataset.manifest().name() + " has no training images");
            }
            if (dataset.size(Split.TEST) == 0) {
                throw new IllegalArgumentException("dataset " + dataset.manifest().name() + " has no test images");
            }
            return new TrainingRun(this);
        }
    }
}
