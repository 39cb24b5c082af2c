package dev.resnetops.vision.train;

import dev.resnetops.vision.data.Batch;
import dev.resnetops.vision.data.BatchLoader;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the optimizer steps of one epoch and reports progress after each. */
final class EpochTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(EpochTrainer.class);

    /** An epoch's training half (evaluation comes after). */
    record Outcome(boolean interrupted, long globalStep, double meanLoss, double trainTop1, double lastLearningRate,
            double imagesPerSecond, double seconds, int skippedSteps) {}

    private final TrainingStep step;
    private final LearningRateSchedule schedule;
    private final EtaEstimator eta;
    private final List<TrainingListener> listeners;
    private final BooleanSupplier stop;

    EpochTrainer(TrainingStep step, LearningRateSchedule schedule, EtaEstimator eta,
            List<TrainingListener> listeners, BooleanSupplier stop) {
        this.step = step;
        this.schedule = schedule;
        this.eta = eta;
        this.listeners = listeners;
        this.stop = stop;
    }

    Outcome train(BatchLoader loader, int epoch, int epochs, int stepsPerEpoch, long globalStep) {
        long start = System.nanoTime();
        // Time the trainer spent blocked on the loader: ~0 when its threads keep ahead, as they should.
        long dataWait = 0;
        double lossSum = 0;
        long images = 0;
        long correct = 0;
        long counted = 0;
        int steps = 0;
        int skipped = 0;
        double learningRate = 0;
        try (loader) {
            Iterator<Batch> batches = loader.iterator();
            while (batches.hasNext()) {
                long waitStart = System.nanoTime();
                Batch batch = batches.next();
                dataWait += System.nanoTime() - waitStart;
                if (stop.getAsBoolean()) {
                    return new Outcome(true, globalStep, Double.NaN, Double.NaN, learningRate, 0, 0, skipped);
                }
                learningRate = schedule.learningRate(globalStep);
                TrainingStep.Outcome outcome = step.run(batch, learningRate);
                globalStep++;
                steps++;
                images += batch.size();
                if (outcome.applied()) {
                    lossSum += outcome.loss() * batch.size();
                    correct += outcome.correct();
                    counted += batch.size();
                } else {
                    skipped++;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double imagesPerSecond = images / seconds;
                eta.recordSteps(seconds / steps, imagesPerSecond);
                StepProgress progress = new StepProgress(epoch, epochs, steps, stepsPerEpoch, globalStep,
                        outcome.loss(), learningRate, imagesPerSecond, eta.secondsLeft(epoch, steps), !outcome.applied());
                listeners.forEach(l -> l.onStep(progress));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("epoch {}: {} steps in {} s, {} s of it waiting for the data loader", epoch, steps,
                String.format("%.1f", seconds), String.format("%.2f", dataWait / 1e9));
        return new Outcome(false, globalStep, counted > 0 ? lossSum / counted : Double.NaN,
                counted > 0 ? (double) correct / counted : Double.NaN, learningRate, images / seconds, seconds, skipped);
    }
}
