package dev.resnetops.trainer.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.messaging.OutboxWriter;
import dev.resnetops.store.jobs.JobRunRecords;
import dev.resnetops.trainer.config.TrainerConfig;
import dev.resnetops.vision.train.TrainingListener;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;

/**
 * The real runner, except for jobs of the experiment {@link #CRASHING_EXPERIMENT}: those throw an
 * {@link Error} out of {@code train}, as a native library that fails to link does, past the runner's own
 * failure handling. Enabled only by the test profile that asks for it; a {@code @Singleton}, since a
 * proxied subclass would need a no-argument constructor.
 */
@Alternative
@Singleton
public class CrashingJobRunner extends JobRunner {

    public static final String CRASHING_EXPERIMENT = "handler-crashes";

    CrashingJobRunner(LeaseHeartbeat heartbeat, JobFinisher finisher, JobRunRecords runs, OutboxWriter outbox,
                      EpochRecorder epochs, TrainerConfig config, ObjectMapper json, UntilDatabaseAnswers database,
                      PlatformInitResolver initResolver, RunTracking tracking) {
        super(heartbeat, finisher, runs, outbox, epochs, config, json, database, initResolver, tracking);
    }

    @Override
    public void train(ClaimedJob claim, CancelSwitch cancel, TrainingListener progress) {
        if (CRASHING_EXPERIMENT.equals(claim.order().experiment())) {
            throw new UnsatisfiedLinkError("libtorch_cpu.so: cannot open shared object file");
        }
        super.train(claim, cancel, progress);
    }
}
