package dev.resnetops.trainer.service;

import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.jobs.ExpiredLease;
import dev.resnetops.store.jobs.JobStore;
import dev.resnetops.trainer.config.TrainerConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Finds jobs whose worker died (their lease ran out without renewal) and puts them back in the queue
 * with a new StartTraining command, in one transaction; the next worker to take the command resumes the
 * job from its last checkpoint. Every live worker runs this: {@code SKIP LOCKED} keeps two of them from
 * requeueing the same job.
 */
@ApplicationScoped
public class LeaseReaper {

    private static final Logger LOG = Logger.getLogger(LeaseReaper.class);

    private final JobStore jobs;
    private final OutboxWriter outbox;
    private final TrainerConfig config;
    private ScheduledExecutorService timer;

    LeaseReaper(JobStore jobs, OutboxWriter outbox, TrainerConfig config) {
        this.jobs = jobs;
        this.outbox = outbox;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-reaper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::reapSafely, config.heartbeat().toMillis(), config.heartbeat().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void reapSafely() {
        try {
            reap();
        } catch (Exception e) {
            LOG.warnf("cannot look for jobs of dead workers: %s", e.getMessage());
        }
    }

    /** Requeues (or, if a cancel was asked for meanwhile, cancels) every job with an expired lease. */
    void reap() {
        QuarkusTransaction.requiringNew().run(() -> {
            for (ExpiredLease job : jobs.lockExpired(20)) {
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
