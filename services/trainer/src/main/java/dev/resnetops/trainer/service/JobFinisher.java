package dev.resnetops.trainer.service;

import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.TransitionRefusedException;
import dev.resnetops.store.jobs.JobStore;
import dev.resnetops.vision.eval.EvaluationReport;
import dev.resnetops.vision.train.TrainingResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Records how a job ends on this worker, each end in one transaction: the job's state (through the
 * platform store's rules), the TrainingFinished event and MLflow's end of the run, or, on shutdown, the
 * job back in the queue with a new StartTraining. An end the store refuses (the job was taken over or
 * finished elsewhere meanwhile) is logged and leaves nothing behind.
 */
@ApplicationScoped
public class JobFinisher {

    private static final Logger LOG = Logger.getLogger(JobFinisher.class);

    private final JobStore jobs;
    private final OutboxWriter outbox;
    private final RunTracking tracking;
    private final WorkerIdentity worker;
    private final MeterRegistry metrics;
    private final UntilDatabaseAnswers database;

    JobFinisher(JobStore jobs, OutboxWriter outbox, RunTracking tracking, WorkerIdentity worker, MeterRegistry metrics,
                UntilDatabaseAnswers database) {
        this.jobs = jobs;
        this.outbox = outbox;
        this.tracking = tracking;
        this.worker = worker;
        this.metrics = metrics;
        this.database = database;
    }

    /** @param artifacts what MLflow gets, as {@link JobFolder#artifacts} lists it */
    public void completed(UUID jobId, TrainingResult result, Map<String, String> artifacts, String runId) {
        EvaluationReport report = result.finalEvaluation();
        Path checkpoint = result.checkpointDir();
        String reason = String.format(Locale.ROOT, "%d epochs, test top-1 %.4f, top-5 %.4f", result.epochsCompleted(),
                report.top1(), report.top5());
        boolean recorded = record(jobId, JobState.COMPLETED, () -> {
            if (!jobs.finish(jobId, worker.id(), JobState.COMPLETED, reason, checkpoint.toString())) {
                return false;
            }
            outbox.append(TrainingFinished.completed(jobId, checkpoint.toString(), result.epochsCompleted(),
                    report.top1(), report.top5(), runId));
            tracking.completed(jobId, artifacts);
            return true;
        });
        if (recorded) {
            LOG.infof("job %s: COMPLETED (%d epochs, top-1 %.4f, top-5 %.4f)", jobId, result.epochsCompleted(),
                    report.top1(), report.top5());
        }
    }

    public void failed(UUID jobId, String reason, String runId) {
        LOG.warnf("job %s: FAILED: %s", jobId, reason);
        ended(jobId, JobState.FAILED, reason, runId, 0);
    }

    public void cancelled(UUID jobId, int epochsDone, String runId) {
        ended(jobId, JobState.CANCELLED, "cancelled by request after " + epochsDone + " epochs", runId, epochsDone);
    }

    /** A cancel requested while the job was queued (after a requeue) that no worker had settled yet. */
    public void cancelledBeforeStart(UUID jobId, String runId) {
        String reason = "cancelled before a worker started it";
        endQueued(jobId, JobState.CANCELLED, () -> jobs.cancelQueued(jobId, reason), reason, runId);
    }

    /** A queued job whose command this worker cannot run at all (its configuration does not decode). */
    public void rejected(UUID jobId, String reason, String runId) {
        LOG.errorf("job %s: FAILED without running: %s", jobId, reason);
        endQueued(jobId, JobState.FAILED, () -> jobs.reject(jobId, reason), reason, runId);
    }

    /** A clean shutdown hands the job back at once instead of letting its lease run out. */
    public void handBack(UUID jobId, int epochsCompleted) {
        boolean requeued = record(jobId, JobState.QUEUED, () -> jobs.requeue(jobId, worker.id(), "worker " + worker.id()
                        + " shut down after epoch " + epochsCompleted + "; the job resumes from that checkpoint")
                .map(command -> {
                    outbox.append(command);
                    return true;
                }).orElse(false));
        if (requeued) {
            LOG.infof("job %s: stopped for shutdown after epoch %d; requeued to resume from the checkpoint", jobId,
                    epochsCompleted);
        }
    }

    private void ended(UUID jobId, JobState state, String reason, String runId, int epochsDone) {
        record(jobId, state, () -> {
            if (!jobs.finish(jobId, worker.id(), state, reason, null)) {
                return false;
            }
            announce(jobId, state, reason, runId, epochsDone);
            return true;
        });
    }

    private void endQueued(UUID jobId, JobState state, Runnable transition, String reason, String runId) {
        record(jobId, state, () -> {
            transition.run();
            announce(jobId, state, reason, runId, 0);
            return true;
        });
    }

    private void announce(UUID jobId, JobState state, String reason, String runId, int epochsDone) {
        outbox.append(TrainingFinished.ended(jobId, state, reason, epochsDone, runId));
        tracking.ended(jobId, state);
    }

    /**
     * Runs {@code change} in a transaction of its own, again while PostgreSQL is away (a job's end is never
     * dropped for an outage); false when it wrote nothing.
     */
    private boolean record(UUID jobId, JobState state, BooleanSupplier change) {
        boolean recorded;
        try {
            recorded = database.call("record job " + jobId + " as " + state,
                    () -> QuarkusTransaction.requiringNew().call(change::getAsBoolean));
        } catch (TransitionRefusedException e) {
            LOG.warnf("job %s: not recorded as %s: %s", jobId, state, e.getMessage());
            return false;
        }
        if (!recorded) {
            LOG.warnf("job %s: not recorded as %s: worker %s no longer holds its lease (another worker took it over)",
                    jobId, state, worker.id());
        } else if (state.isTerminal()) {
            metrics.counter("trainer.jobs", "outcome", state.name().toLowerCase(Locale.ROOT)).increment();
        }
        return recorded;
    }
}
