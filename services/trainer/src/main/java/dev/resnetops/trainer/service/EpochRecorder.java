package dev.resnetops.trainer.service;

import dev.resnetops.contracts.messages.EpochCompleted;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.jobs.JobRunRecords;
import dev.resnetops.trainer.tracking.TrackingItem;
import dev.resnetops.trainer.tracking.TrackingOutbox;
import dev.resnetops.vision.train.EpochMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Records a finished epoch once: the metrics row, the EpochCompleted event and the MLflow metrics in one
 * transaction. Recording an epoch that is already there does nothing, which is what makes a resumed
 * job's history contiguous: epochs restored from the checkpoint are recorded again harmlessly, and one
 * whose recording a crash cut off is recorded now. It is also what makes waiting out a PostgreSQL outage
 * safe: a retry after a commit whose answer was lost adds nothing.
 */
@ApplicationScoped
public class EpochRecorder {

    private final JobRunRecords runs;
    private final OutboxWriter outbox;
    private final TrackingOutbox tracking;
    private final UntilDatabaseAnswers database;

    EpochRecorder(JobRunRecords runs, OutboxWriter outbox, TrackingOutbox tracking, UntilDatabaseAnswers database) {
        this.runs = runs;
        this.outbox = outbox;
        this.tracking = tracking;
        this.database = database;
    }

    /** Records the epoch, waiting for PostgreSQL while it is away: training goes on after it, nothing skipped. */
    public void record(UUID jobId, EpochMetrics m) {
        String what = "record epoch " + m.epoch() + " of job " + jobId;
        database.run(what, () -> QuarkusTransaction.requiringNew().run(() -> {
            if (!runs.recordEpoch(jobId, m.epoch(), m.trainLoss(), m.learningRate(), m.testTop1(), m.testTop5(),
                    m.testLoss(), m.imagesPerSecond(), m.epochSeconds())) {
                return;
            }
            outbox.append(EpochCompleted.of(jobId, m.epoch(), m.trainLoss(), m.learningRate(), m.testTop1(),
                    m.testTop5(), m.testLoss(), m.imagesPerSecond(), m.epochSeconds()));
            long now = System.currentTimeMillis();
            tracking.append(jobId, new TrackingItem.Metrics(List.of(
                    point("train_loss", m.trainLoss(), m, now),
                    point("train_top1", m.trainTop1(), m, now),
                    point("learning_rate", m.learningRate(), m, now),
                    point("val_loss", m.testLoss(), m, now),
                    point("val_top1", m.testTop1(), m, now),
                    point("val_top5", m.testTop5(), m, now),
                    point("images_per_second", m.imagesPerSecond(), m, now),
                    point("epoch_seconds", m.epochSeconds(), m, now))));
        }));
    }

    private static TrackingItem.Point point(String key, double value, EpochMetrics m, long now) {
        return new TrackingItem.Point(key, value, m.epoch(), now);
    }
}
