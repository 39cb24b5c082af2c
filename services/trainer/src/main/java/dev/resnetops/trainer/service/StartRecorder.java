package dev.resnetops.trainer.service;

import dev.resnetops.vision.train.RunStart;
import dev.resnetops.vision.train.TrainingListener;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.UUID;

/**
 * The training loop's listener that records, when a job's training starts, what only the start knows
 * (the starting weights' provenance, the normalisation) for its MLflow run.
 */
final class StartRecorder implements TrainingListener {

    private final UUID jobId;
    private final RunTracking tracking;
    private final UntilDatabaseAnswers database;

    StartRecorder(UUID jobId, RunTracking tracking, UntilDatabaseAnswers database) {
        this.jobId = jobId;
        this.tracking = tracking;
        this.database = database;
    }

    @Override
    public void onStart(RunStart start) {
        database.run("record how job " + jobId + " started", () -> QuarkusTransaction.requiringNew()
                .run(() -> tracking.trainingStarted(jobId, start)));
    }
}
