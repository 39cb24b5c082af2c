package dev.resnetops.trainer.service;

import dev.resnetops.store.jobs.JobSnapshot;
import dev.resnetops.store.jobs.JobStore;
import dev.resnetops.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps a training job's lease alive while it trains, on a thread of its own so a long training step
 * never lets it lapse. Every beat also reads the job's cancel flag: the Kafka control message normally
 * stops the job first, the flag catches one that was missed. A lease that cannot be renewed (the job was
 * taken over or finished elsewhere) stops the training too.
 */
@ApplicationScoped
public class LeaseHeartbeat {

    /** The beats of one job; closing it stops them. */
    public static final class Beats implements AutoCloseable {

        private final ScheduledExecutorService timer;

        private Beats(ScheduledExecutorService timer) {
            this.timer = timer;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    private static final Logger LOG = Logger.getLogger(LeaseHeartbeat.class);

    private final JobStore jobs;
    private final WorkerIdentity worker;
    private final TrainerConfig config;

    LeaseHeartbeat(JobStore jobs, WorkerIdentity worker, TrainerConfig config) {
        this.jobs = jobs;
        this.worker = worker;
        this.config = config;
    }

    /** Renews the lease of {@code jobId} every heartbeat until the result is closed; trips {@code cancel}. */
    public Beats start(UUID jobId, CancelSwitch cancel) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-" + jobId.toString().substring(0, 8));
            t.setDaemon(true);
            return t;
        });
        long every = config.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(() -> beat(jobId, cancel), every, every, TimeUnit.MILLISECONDS);
        return new Beats(timer);
    }

    private void beat(UUID jobId, CancelSwitch cancel) {
        try {
            if (!jobs.renewLease(jobId, worker.id(), config.leaseDuration())) {
                cancel.trip(CancelSwitch.Reason.LEASE_LOST);
            } else if (jobs.snapshot(jobId).map(JobSnapshot::cancelRequested).orElse(true)) {
                cancel.trip(CancelSwitch.Reason.CANCELLED);
            }
        } catch (Exception e) {
            LOG.warnf("job %s: cannot renew the lease: %s", jobId, e.getMessage());
        }
    }
}
