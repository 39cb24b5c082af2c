package dev.resnetops.trainer.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.contracts.messages.TrainingProgress;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.jobs.JobRunRecords;
import dev.resnetops.vision.train.EpochMetrics;
import dev.resnetops.vision.train.StepProgress;
import dev.resnetops.vision.train.TrainingListener;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The training loop's listener for one job: progress every few seconds (PostgreSQL + a TrainingProgress
 * event, for live views) and each finished epoch through the {@link EpochRecorder}.
 */
final class ProgressReporter implements TrainingListener {

    private static final Logger LOG = Logger.getLogger(ProgressReporter.class);

    private final UUID jobId;
    private final JobRunRecords runs;
    private final OutboxWriter outbox;
    private final EpochRecorder epochs;
    private final ObjectMapper json;
    private final long intervalNanos;
    private long lastReport;

    ProgressReporter(UUID jobId, JobRunRecords runs, OutboxWriter outbox, EpochRecorder epochs, ObjectMapper json,
                     Duration interval) {
        this.jobId = jobId;
        this.runs = runs;
        this.outbox = outbox;
        this.epochs = epochs;
        this.json = json;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public void onStep(StepProgress p) {
        long now = System.nanoTime();
        boolean lastStep = p.step() == p.stepsPerEpoch();
        if (!lastStep && now - lastReport < intervalNanos) {
            return;
        }
        lastReport = now;
        try {
            String progress = json.writeValueAsString(Map.of("epoch", p.epoch(), "epochs", p.epochs(), "step", p.step(),
                    "stepsPerEpoch", p.stepsPerEpoch(), "loss", p.loss(), "learningRate", p.learningRate(),
                    "imagesPerSecond", p.imagesPerSecond(), "etaSeconds", p.etaSeconds()));
            QuarkusTransaction.requiringNew().run(() -> {
                runs.updateProgress(jobId, progress);
                outbox.append(TrainingProgress.of(jobId, p.epoch(), p.epochs(), p.step(), p.stepsPerEpoch(), p.loss(),
                        p.learningRate(), p.imagesPerSecond(), p.etaSeconds()));
            });
        } catch (Exception e) {
            // Progress is informative; a database hiccup must not stop training (epochs are recorded reliably).
            LOG.warnf("job %s: cannot record progress: %s", jobId, e.getMessage());
        }
    }

    @Override
    public void onEpoch(EpochMetrics metrics) {
        epochs.record(jobId, metrics);
        LOG.infof("job %s: epoch %d done: loss %.4f, top-1 %.4f, top-5 %.4f, %.1f img/s", jobId, metrics.epoch(),
                metrics.trainLoss(), metrics.testTop1(), metrics.testTop5(), metrics.imagesPerSecond());
    }
}
