package dev.resnetops.trainer.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.jobs.JobRunRecords;
import dev.resnetops.trainer.config.TrainerConfig;
import dev.resnetops.vision.config.InvalidConfigException;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.train.RunFiles;
import dev.resnetops.vision.train.TrainingListener;
import dev.resnetops.vision.train.TrainingResult;
import dev.resnetops.vision.train.TrainingRun;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Trains a job this worker has claimed ({@link JobClaimer}) with the vision library, resuming from the
 * checkpoint an earlier attempt left in its {@link JobFolder}, while the {@link LeaseHeartbeat} keeps the
 * lease; every epoch is recorded as it finishes, and the {@link JobFinisher} records the end: COMPLETED,
 * FAILED (with the reason), CANCELLED, or requeued on shutdown. Whatever goes wrong with one job is that
 * job's failure; the worker goes on with the next.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    /** A run that ended, and the files it wrote in the job folder. */
    private record Trained(TrainingResult result, RunFiles files) {
    }

    private final LeaseHeartbeat heartbeat;
    private final JobFinisher finisher;
    private final JobRunRecords runs;
    private final OutboxWriter outbox;
    private final EpochRecorder epochs;
    private final TrainerConfig config;
    private final ObjectMapper json;
    private final UntilDatabaseAnswers database;
    private final PlatformInitResolver initResolver;
    private final RunTracking tracking;

    JobRunner(LeaseHeartbeat heartbeat, JobFinisher finisher, JobRunRecords runs, OutboxWriter outbox,
              EpochRecorder epochs, TrainerConfig config, ObjectMapper json, UntilDatabaseAnswers database,
              PlatformInitResolver initResolver, RunTracking tracking) {
        this.heartbeat = heartbeat;
        this.finisher = finisher;
        this.runs = runs;
        this.outbox = outbox;
        this.epochs = epochs;
        this.config = config;
        this.json = json;
        this.database = database;
        this.initResolver = initResolver;
        this.tracking = tracking;
    }

    /**
     * Trains a claimed job to its end: COMPLETED, FAILED with the reason, CANCELLED, or requeued on shutdown.
     * {@code progress} hears every step and epoch too (the worker's loop shows its health by them).
     */
    public void train(ClaimedJob claim, CancelSwitch cancel, TrainingListener progress) {
        UUID jobId = claim.order().jobId();
        String runId = null;
        try (LeaseHeartbeat.Beats beats = heartbeat.start(jobId, cancel)) {
            try {
                Trained trained = run(claim, cancel, progress);
                TrainingResult result = trained.result();
                runId = database.call("read the MLflow run of job " + jobId, () -> runs.mlflowRunId(jobId))
                        .orElse(null);
                if (result.stopped()) {
                    stopped(jobId, cancel, result, runId);
                } else {
                    trained.files().writeEvaluation(result.finalEvaluation());
                    finisher.completed(jobId, result, claim.folder().artifacts(trained.files(), result.checkpointDir()),
                            runId);
                }
            } catch (JobFailure e) {
                finisher.failed(jobId, e.getMessage(), runId);
            } catch (OutOfMemoryError e) {
                finisher.failed(jobId, "out of memory: " + e.getMessage() + "; try a smaller batch size or input size",
                        runId);
            } catch (Exception e) {
                LOG.errorf(e, "job %s failed", jobId);
                finisher.failed(jobId, describe(e), runId);
            }
        }
    }

    private Trained run(ClaimedJob claim, CancelSwitch cancel, TrainingListener progress) throws Exception {
        TrainingOrder order = claim.order();
        if (!Files.isDirectory(order.shards())) {
            throw new JobFailure("the dataset version's shards are missing at " + order.shards()
                    + " (was the data folder moved or deleted? register the dataset again)");
        }
        ShardedDataset data = ShardedDataset.open(order.shards());
        claim.folder().prepare(order.config());
        // Epochs an earlier attempt finished (and checkpointed) but may not have recorded before it died.
        claim.folder().checkpointedEpochs().forEach(m -> epochs.record(order.jobId(), m));
        RunFiles files = new RunFiles(claim.folder().dir(), data.manifest().classes());
        return new Trained(TrainingRun.builder()
                .setConfig(order.config())
                .setDataset(data)
                .setOutputDir(claim.folder().dir())
                .addListener(new ProgressReporter(order.jobId(), runs, outbox, epochs, json, config.progressInterval()))
                .addListener(new StartRecorder(order.jobId(), tracking, database))
                .addListener(files)
                .addListener(progress)
                .optCancellation(cancel::tripped)
                .optInitResolver(initResolver)
                .build()
                .run(), files);
    }

    private void stopped(UUID jobId, CancelSwitch cancel, TrainingResult result, String runId) {
        CancelSwitch.Reason why = cancel.reason();
        if (why == CancelSwitch.Reason.CANCELLED) {
            finisher.cancelled(jobId, result.epochsCompleted(), runId);
        } else if (why == CancelSwitch.Reason.LEASE_LOST) {
            LOG.warnf("job %s: lease lost (another worker took it over); stopped here", jobId);
        } else {
            finisher.handBack(jobId, result.epochsCompleted());
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        // A configuration's message lists every bad field and stays whole; others (a native library's) can run to pages.
        return e instanceof InvalidConfigException ? message
                : message.length() > 2000 ? message.substring(0, 2000) + "..." : message;
    }
}
