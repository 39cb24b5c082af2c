package dev.resnetops.trainer.service;

import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.jobs.ExpiredLease;
import dev.resnetops.store.jobs.JobStore;
import dev.resnetops.trainer.config.TrainerConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Finds jobs whose worker died (their lease ran out without renewal) and puts them back in the queue
 * with a new StartTraining command, in one transaction; the next worker to take the command resumes the
 * job from its last checkpoint. Every live worker runs this: {@code SKIP LOCKED} keeps two of them from
 * requeueing the same job.
 *
 * <p>On Quarkus's scheduler rather than a {@code BackgroundLoop}: one short transaction at a fixed delay,
 * with no state between runs, nothing that must wake it early and nothing to restart (a failed run is just
 * the next run's work), which is exactly what {@code @Scheduled} with {@code SKIP} does; the scheduler owns
 * the thread and its shutdown. A database outage shows in readiness through the datasource check.
 */
@ApplicationScoped
public class LeaseReaper {

    private static final Logger LOG = Logger.getLogger(LeaseReaper.class);

    private final JobStore jobs;
    private final OutboxWriter outbox;
    private final TrainerConfig config;

    LeaseReaper(JobStore jobs, OutboxWriter outbox, TrainerConfig config) {
        this.jobs = jobs;
        this.outbox = outbox;
        this.config = config;
    }

    @Scheduled(identity = "lease-reaper", every = "${mlops.trainer.heartbeat}", delayed = "${mlops.trainer.heartbeat}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reapSafely() {
        try {
            reap();
        } catch (Exception e) {
            LOG.warnf("cannot look for jobs of dead workers: %s", e.getMessage());
        }
    }

    /** Requeues (or, if a cancel was asked for meanwhile, cancels) every job with an expired lease. */
    void reap() {
        QuarkusTransaction.requiringNew().run(() -> {
            // Not within a lease of a PostgreSQL restart: leases lapsed during the outage belong to live workers too.
            for (ExpiredLease job : jobs.lockExpired(20, config.leaseDuration())) {
                if (job.cancelRequested()) {
                    if (jobs.cancelAbandoned(job.jobId(), "cancelled while its worker " + job.worker() + " was gone")) {
                        outbox.append(TrainingFinished.ended(job.jobId(), JobState.CANCELLED,
                                "cancelled while its worker was gone", 0, null));
                    }
                    continue;
                }
                jobs.requeue(job.jobId(), job.worker(), "worker " + job.worker() + " stopped renewing its lease"
                        + " (it died or lost the database); requeued to resume from the last checkpoint")
                        .ifPresent(command -> {
                            outbox.append(command);
                            LOG.warnf("job %s: worker %s stopped renewing its lease; requeued", job.jobId(),
                                    job.worker());
                        });
            }
        });
    }
}
