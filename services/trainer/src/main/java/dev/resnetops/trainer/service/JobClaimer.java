package dev.resnetops.trainer.service;

import ai.djl.Device;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.contracts.messages.TrainingStarted;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.TransitionRefusedException;
import dev.resnetops.store.jobs.JobSnapshot;
import dev.resnetops.store.jobs.JobStore;
import dev.resnetops.trainer.config.TrainerConfig;
import dev.resnetops.vision.config.InvalidConfigException;
import dev.resnetops.vision.train.TrainingRun;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Takes the job of a StartTraining command for this worker if there is something to do: a QUEUED job
 * (new, or requeued after its worker died or shut down), or one this worker already holds. The claim, its
 * history, TrainingStarted and (on the first attempt) the MLflow run are one transaction. A finished job,
 * one running on a live worker, or one cancelled before it started needs nothing from the command (a dead
 * worker's job is requeued with a new command by the {@link LeaseReaper}).
 */
@ApplicationScoped
public class JobClaimer {

    private static final Logger LOG = Logger.getLogger(JobClaimer.class);

    private final JobStore jobs;
    private final OutboxWriter outbox;
    private final RunTracking tracking;
    private final JobFinisher finisher;
    private final WorkerIdentity worker;
    private final TrainerConfig config;

    JobClaimer(JobStore jobs, OutboxWriter outbox, RunTracking tracking, JobFinisher finisher, WorkerIdentity worker,
               TrainerConfig config) {
        this.jobs = jobs;
        this.outbox = outbox;
        this.tracking = tracking;
        this.finisher = finisher;
        this.worker = worker;
        this.config = config;
    }

    public Optional<ClaimedJob> claim(StartTraining command) {
        UUID jobId = command.jobId();
        Optional<JobSnapshot> before = jobs.snapshot(jobId);
        if (before.isEmpty()) {
            LOG.warnf("job %s: not in the database; ignoring its StartTraining command", jobId);
            return Optional.empty();
        }
        JobSnapshot job = before.get();
        if (job.state().isTerminal()) {
            LOG.infof("job %s: already %s; nothing to do", jobId, job.state());
            return Optional.empty();
        }
        if (job.cancelRequested()) {
            if (job.state() == JobState.QUEUED) {
                finisher.cancelledBeforeStart(jobId, job.mlflowRunId());
            }
            return Optional.empty();
        }
        TrainingOrder order;
        try {
            order = TrainingOrder.of(command);
        } catch (InvalidConfigException | InvalidPathException e) {
            if (job.state() == JobState.QUEUED) {
                finisher.rejected(jobId, "its StartTraining command cannot run: " + e.getMessage(), job.mlflowRunId());
            }
            return Optional.empty();
        }
        return claim(order, job);
    }

    private Optional<ClaimedJob> claim(TrainingOrder order, JobSnapshot before) {
        UUID jobId = order.jobId();
        String device = describe(TrainingRun.defaultDevice());
        JobFolder folder = JobFolder.of(Path.of(config.jobsDir()), jobId);
        int resumedFrom = folder.completedEpochs();
        String resuming = resumedFrom > 0 ? ", resuming after epoch " + resumedFrom : "";
        Optional<Integer> attempt;
        try {
            attempt = QuarkusTransaction.requiringNew().call(() -> {
                Optional<Integer> claimed = jobs.claim(jobId, worker.id(), device, config.leaseDuration(),
                        n -> "worker " + worker.id() + " on " + device + ", attempt " + n + resuming);
                claimed.ifPresent(n -> {
                    outbox.append(TrainingStarted.of(jobId, n, worker.id(), device, resumedFrom,
                            order.config().epochs()));
                    if (before.mlflowRunId() == null && n == 1) {
                        tracking.startRun(order, device);
                    }
                });
                return claimed;
            });
        } catch (TransitionRefusedException e) {
            LOG.infof("job %s: finished meanwhile (%s); this command needs nothing", jobId, e.getMessage());
            return Optional.empty();
        }
        if (attempt.isEmpty()) {
            LOG.infof("job %s: %s elsewhere or cancelled; this command needs nothing", jobId,
                    jobs.snapshot(jobId).map(s -> s.state() + " (" + s.leaseOwner() + ")").orElse("gone"));
            return Optional.empty();
        }
        LOG.infof("job %s: attempt %d on %s (%s)%s", jobId, attempt.get(), device, worker.id(), resuming);
        return Optional.of(new ClaimedJob(order, attempt.get(), folder));
    }

    private static String describe(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }
}
