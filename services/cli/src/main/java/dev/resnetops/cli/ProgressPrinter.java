package dev.resnetops.cli;

import dev.resnetops.vision.config.FreezePoint;
import dev.resnetops.vision.train.EpochMetrics;
import dev.resnetops.vision.train.RunStart;
import dev.resnetops.vision.train.StepProgress;
import dev.resnetops.vision.train.TrainingListener;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The live progress line of {@code mlops train}: redrawn in place on a terminal, a line every
 * {@value #LOG_INTERVAL_SECONDS} s when the output is a log file or pipe.
 */
public final class ProgressPrinter implements TrainingListener {

    private static final double LOG_INTERVAL_SECONDS = 10;
    private static final double REDRAW_INTERVAL_SECONDS = 0.25;

    private final PrintStream out;
    private final boolean terminal;
    private long lastPrint;
    private boolean lineOpen;

    ProgressPrinter(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onStart(RunStart start) {
        out.printf("model %s (%,d %sparameters) on %s, %s%n", start.config().model(), start.parameters(),
                start.config().freeze() == FreezePoint.NONE ? "" : "trainable ", start.device(), start.precisionReason());
        out.printf("dataset %s [%s]: training on %,d images, testing on %,d; %d steps/epoch, batch %d%n",
                start.datasetName(), shortHash(start.datasetHash()), start.trainSamples(), start.testSamples(),
                start.stepsPerEpoch(), start.config().batchSize());
        if (start.firstEpoch() > 1) {
            out.printf("resuming at epoch %d of %d%n", start.firstEpoch(), start.config().epochs());
        }
        var init = start.init();
        if (!init.isRandom()) {
            out.printf("starting from %s%s (%s, sha256 %s)%n", init.source(),
                    init.resolved().isEmpty() ? "" : " = " + init.resolved(), init.format(), shortHash(init.sha256()));
            init.notes().forEach(note -> out.println("  " + note));
            if (start.config().freeze() != FreezePoint.NONE) {
                out.printf("  frozen up to %s%s%n", start.config().freeze().key(),
                        start.config().freezeBatchNorm() ? ", BatchNorm statistics included" : "");
            }
        }
        out.printf("normalisation: mean %s, std %s%n", Arrays.toString(start.preprocessing().mean()),
                Arrays.toString(start.preprocessing().std()));
    }

    @Override
    public void onStep(StepProgress p) {
        long now = System.nanoTime();
        double interval = terminal ? REDRAW_INTERVAL_SECONDS : LOG_INTERVAL_SECONDS;
        boolean last = p.step() == p.stepsPerEpoch();
        if (!last && (now - lastPrint) / 1e9 < interval) {
            return;
        }
        lastPrint = now;
        String line = String.format("epoch %d/%d  step %d/%d  %.1f img/s  loss %.4f  lr %.5f  ETA %s%s",
                p.epoch(), p.epochs(), p.step(), p.stepsPerEpoch(), p.imagesPerSecond(), p.loss(), p.learningRate(),
                formatDuration(p.etaSeconds()), p.skipped() ? "  (fp16 overflow: step skipped)" : "");
        if (terminal) {
            out.print("\r" + line + "\033[K");
            lineOpen = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void onEpoch(EpochMetrics m) {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
        out.printf("epoch %d done in %s: train loss %.4f, train top-1 %.2f%%, test loss %.4f, "
                        + "test top-1 %.2f%%, top-5 %.2f%%, %.1f img/s%s%n",
                m.epoch(), formatDuration(m.epochSeconds()), m.trainLoss(), 100 * m.trainTop1(), m.testLoss(),
                100 * m.testTop1(), 100 * m.testTop5(), m.imagesPerSecond(),
                m.skippedSteps() > 0 ? ", " + m.skippedSteps() + " fp16 steps skipped" : "");
        out.flush();
    }

    public static String formatDuration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "--";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    private static String shortHash(String hash) {
        return hash == null ? "?" : hash.substring(0, Math.min(12, hash.length()));
    }
}
