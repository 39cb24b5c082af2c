package dev.resnetops.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.vision.config.Precision;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.data.ShardedDataset;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole loop (loader, augmentation, model, loss, optimizer, schedule) must be able to memorise
 * a small fixed set: if it cannot, something in the chain is broken, whatever the test accuracy.
 */
class TrainingLoopLearningTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Precision.class, names = {"FP32", "FP16"})
    void overfitsASmallFixedBatch(Precision precision) {
        // fp16 convolutions run far slower than fp32 on this CPU (see docs/benchmarks.md), so the fp16
        // case memorises a smaller batch of 8 px images; at 8 px the 4-px pad-and-crop would shift an
        // image by half its size, so that case trains without augmentation. Ten images at least: the
        // patterns have ten classes, and an import refuses a class without a training image.
        boolean fp16 = precision == Precision.FP16;
        int images = fp16 ? 10 : 32;
        int size = fp16 ? 8 : 16;
        int steps = fp16 ? 20 : 60;
        ShardedDataset dataset = SyntheticDatasets.patterns(dir.resolve("data"), images, size, 4);
        TrainingConfig config = TrainingConfig.builder()
                .model("resnet18-small")
                .inputSize(size)
                .epochs(steps) // one step per epoch
                .batchSize(images)
                .maxTrainSamples(images)
                .maxTestSamples(images)
                .learningRate(0.1)
                .warmupEpochs(2)
                .augment(!fp16)
                .schedule(dev.resnetops.vision.config.ScheduleKind.COSINE)
                .labelSmoothing(0)
                .weightDecay(0)
                .precision(precision)
                .lossScaleGrowthInterval(10)
                .workers(2)
                .build();
        TrainingResult result = TrainingRun.builder()
                .setConfig(config)
                .setDataset(dataset)
                .setOutputDir(dir.resolve("run-" + precision))
                .build()
                .run();

        EpochMetrics last = result.history().get(result.history().size() - 1);
        assertThat(result.precision()).isEqualTo(precision == Precision.FP16 ? "fp16-mixed" : "fp32");
        String trajectory = result.history().stream()
                .map(m -> String.format("%.2f/%.3f", m.trainTop1(), m.trainLoss())).toList().toString();
        assertThat(last.trainTop1()).as("training accuracy after " + steps + " steps; top-1/loss per step: " + trajectory).isGreaterThanOrEqualTo(0.96);
        assertThat(last.trainLoss()).isLessThan(result.history().get(0).trainLoss() / 4);
    }
}
