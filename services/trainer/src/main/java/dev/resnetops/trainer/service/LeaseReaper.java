package dev.resnetops.trainer.service;

import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.loops.BackgroundLoop;
import dev.resnetops.loops.BackgroundLoops;
import dev.resnetops.loops.LoopBody;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.jobs.ExpiredLease;
import dev.resnetops.store.jobs.JobStore;
import dev.resnetops.trainer.config.TrainerConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Finds jobs whose worker died (their lease ran out without renewal) and puts them back in the queue
 * with a new StartTraining command, in one transaction; the next worker to take the command resumes the
 * job from its last checkpoint. Every live worker runs this: {@code SKIP LOCKED} keeps two of them from
 * requeueing the same job.
 *
 * <p>A {@link BackgroundLoop} of rounds (one short transaction every heartbeat) rather than a
 * {@code @Scheduled} method: a scheduled method that failed or hung said so nowhere, so a worker whose reaper
 * no longer ran looked healthy while dead workers' jobs stayed RUNNING. As a loop it is in the readiness
 * check like every other: RESTARTING with the error while the database is away, STUCK when a round hangs.
 */
@ApplicationScoped
public class LeaseReaper {

    private static final Logger LOG = Logger.getLogger(LeaseReaper.class);
    /** A round is one transaction over at most 20 rows; a round this long is hung, not slow. */
    private static final Duration STUCK_AFTER = Duration.ofMinutes(2);

    private final JobStore jobs;
    private final OutboxWriter outbox;
    private final TrainerConfig config;
    private final BackgroundLoop loop;

    LeaseReaper(JobStore jobs, OutboxWriter outbox, TrainerConfig config, BackgroundLoops loops) {
        this.jobs = jobs;
        this.outbox = outbox;
        this.config = config;
        // A failed round (the database away) backs off and runs again; the health shows the error meanwhile.
        this.loop = loops.register(BackgroundLoop.named("lease-reaper")
                .setBody(LoopBody.repeating(config.heartbeat(), () -> {
                    reap();
                    return false;
                }))
                .optRestartBackoff(config.heartbeat(), Duration.ofSeconds(30))
                .setStuckAfter(STUCK_AFTER)
                .optJoinTimeout(Duration.ofSeconds(5))
                .optInterruptOnStop()
                .build());
    }

    void start(@Observes StartupEvent event) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
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
