package dev.resnetops.trainer.service;

import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.jobs.JobStore;
import dev.resnetops.trainer.config.TrainerConfig;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real claimer, except that claiming a job of the experiment {@link #FLAKY_EXPERIMENT} fails the first
 * {@link #FAILURES} times, as a claim does while its database misbehaves. Enabled only by the test profile that
 * asks for it; a {@code @Singleton}, since a proxied subclass would need a no-argument constructor.
 */
@Alternative
@Singleton
public class FlakyJobClaimer extends JobClaimer {

    public static final String FLAKY_EXPERIMENT = "claim-fails-first";
    public static final int FAILURES = 3;

    private final AtomicInteger failures = new AtomicInteger();

    FlakyJobClaimer(JobStore jobs, OutboxWriter outbox, RunTracking tracking, JobFinisher finisher,
                    WorkerIdentity worker, TrainerConfig config) {
        super(jobs, outbox, tracking, finisher, worker, config);
    }

    @Override
    public Optional<ClaimedJob> claim(StartTraining command) {
        if (FLAKY_EXPERIMENT.equals(command.experiment()) && failures.incrementAndGet() <= FAILURES) {
            throw new IllegalStateException("the jobs table is locked by a migration");
        }
        return super.claim(command);
    }
}
