package dev.resnetops.trainer.messaging;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.kafka.KafkaClientProperties;
import dev.resnetops.loops.BackgroundLoop;
import dev.resnetops.loops.BackgroundLoops;
import dev.resnetops.loops.LoopControl;
import dev.resnetops.trainer.config.TrainerConfig;
import dev.resnetops.trainer.service.CancelSwitch;
import dev.resnetops.trainer.service.ClaimedJob;
import dev.resnetops.store.jobs.JobRunRecords;
import dev.resnetops.trainer.service.JobClaimer;
import dev.resnetops.trainer.service.JobFinisher;
import dev.resnetops.trainer.service.JobRunner;
import dev.resnetops.trainer.service.RunningJob;
import dev.resnetops.vision.train.EpochMetrics;
import dev.resnetops.vision.train.StepProgress;
import dev.resnetops.vision.train.TrainingListener;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The worker's consumer of StartTraining commands (group {@code trainer}): one job at a time.
 *
 * <p>Kafka dispatches, PostgreSQL decides. A command is committed as soon as the job is claimed (a
 * lease in the job row); then the worker leaves the consumer group while it trains, so the other
 * workers own every partition and no queued command waits behind a busy worker; it joins again when
 * the job ends. A worker that dies mid-job stops renewing its lease; the {@code LeaseReaper} of any
 * live worker then requeues the job with a new command, and whoever takes it resumes from the last
 * checkpoint.
 *
 * <p>A plain {@link KafkaConsumer} on a {@link BackgroundLoop} rather than a SmallRye Reactive Messaging
 * channel: a channel stays subscribed, and leaving the group while a job trains (unsubscribe, train on this
 * thread, subscribe again) is the point of this design. While a job trains, the loop's progress ticks come
 * from the training itself (every step and epoch), so hours of training are not STUCK, a hung one is.
 */
@ApplicationScoped
public class TrainingCommandLoop {

    private static final Logger LOG = Logger.getLogger(TrainingCommandLoop.class);
    private static final String GROUP = "trainer";
    private static final Duration POLL = Duration.ofMillis(500);
    /** A running job stops at its next step on shutdown and is handed back; this bounds that wait. */
    private static final Duration JOIN = Duration.ofMinutes(2);

    private final JobClaimer claimer;
    private final JobRunner runner;
    private final JobFinisher finisher;
    private final JobRunRecords runs;
    private final RunningJob running;
    private final KafkaClientProperties kafka;
    private final BackgroundLoop loop;
    /** The job and error of the last failed claim, until a claim succeeds; read and written on the loop's thread. */
    private String lastClaimFailure;

    TrainingCommandLoop(JobClaimer claimer, JobRunner runner, JobFinisher finisher, JobRunRecords runs,
                        RunningJob running, KafkaClientProperties kafka, TrainerConfig config, BackgroundLoops loops) {
        this.claimer = claimer;
        this.runner = runner;
        this.finisher = finisher;
        this.runs = runs;
        this.running = running;
        this.kafka = kafka;
        this.loop = loops.register(BackgroundLoop.named("training-commands")
                .setBody(this::consume)
                .setStuckAfter(config.stuckAfter())
                .optJoinTimeout(JOIN)
                .build());
    }

    void start(@Observes StartupEvent event) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        // Before the join: the job stops at its next step and is requeued, then the loop can end.
        running.cancel(CancelSwitch.Reason.SHUTDOWN);
        loop.stop();
    }

    private void consume(LoopControl control) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
            control.wakeUpWith(c::wakeup);
            c.subscribe(List.of(Topics.TRAINING_COMMANDS));
            LOG.infof("waiting for training commands on %s (group %s)", Topics.TRAINING_COMMANDS, GROUP);
            while (control.running()) {
                for (ConsumerRecord<String, String> record : c.poll(POLL)) {
                    handle(c, record, control); // max.poll.records=1
                }
                control.tick();
            }
        }
    }

    private void handle(KafkaConsumer<String, String> c, ConsumerRecord<String, String> record, LoopControl control) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        StartTraining command;
        try {
            command = MessageCodec.fromJson(record.value(), StartTraining.class);
        } catch (MalformedMessageException e) {
            LOG.errorf("skipping %s@%d (key %s): %s", partition, record.offset(), record.key(), e.getMessage());
            commit(c, partition, record.offset() + 1);
            return;
        }
        Optional<ClaimedJob> claim;
        try {
            claim = claimer.claim(command);
        } catch (RuntimeException e) {
            // The database is unreachable or similar: read the command again after a pause.
            LOG.warnf("job %s: cannot claim it now (%s); retrying", command.jobId(), e.getMessage());
            claimFailed(command, e, control);
            c.seek(partition, record.offset());
            control.pause(Duration.ofSeconds(2));
            return;
        }
        lastClaimFailure = null;
        commit(c, partition, record.offset() + 1);
        if (claim.isEmpty()) {
            return;
        }
        // Leave the group while training: the other workers take all partitions meanwhile.
        c.unsubscribe();
        CancelSwitch cancel = running.begin(command.jobId());
        try {
            runner.train(claim.get(), cancel, ticking(control));
        } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
            // The runner ends a job's own failures itself; what escapes it (a native library that will not
            // link, a bug) is still one job's failure: the worker goes on with the next command. Errors of the
            // JVM itself (out of memory outside the job, InternalError) end the loop DEAD instead.
            crashed(command, partition, record.offset(), e, control);
        } finally {
            running.end(command.jobId());
        }
        if (control.running()) {
            c.subscribe(List.of(Topics.TRAINING_COMMANDS));
        }
    }

    /**
     * Shows a claim that keeps failing in readiness: the loop pauses between tries, so it stays RUNNING, and
     * without this a command that can never be claimed would hold its partition with nothing but WARN lines.
     * Once per distinct error, not every 2 s.
     */
    private void claimFailed(StartTraining command, RuntimeException e, LoopControl control) {
        String error = command.jobId() + " " + BackgroundLoop.describe(e);
        if (!error.equals(lastClaimFailure)) {
            lastClaimFailure = error;
            control.failed("job " + command.jobId() + ": claiming it (retried every 2 s until it succeeds)", e);
        }
    }

    /** Shows the crash in readiness and ends the job FAILED with it, so nobody waits on a RUNNING job forever. */
    private void crashed(StartTraining command, TopicPartition partition, long offset, Throwable e,
                         LoopControl control) {
        UUID jobId = command.jobId();
        control.failed("job " + jobId + " (StartTraining at " + partition + "@" + offset + ")", e);
        String reason = "the worker's training crashed: " + BackgroundLoop.describe(e)
                + " (the worker log has the stack trace); submit the job again once the cause is fixed";
        try {
            finisher.failed(jobId, reason, runs.mlflowRunId(jobId).orElse(null));
        } catch (RuntimeException again) {
            // The lease then runs out and the LeaseReaper requeues the job: it is not lost, only retried.
            LOG.errorf("job %s: cannot record its crash (%s); its lease will run out and it is requeued", jobId,
                    again.getMessage());
        }
    }

    /** The loop's progress while a job trains on its thread: every step and every epoch's end. */
    private static TrainingListener ticking(LoopControl control) {
        return new TrainingListener() {
            @Override
            public void onStep(StepProgress progress) {
                control.tick();
            }

            @Override
            public void onEpoch(EpochMetrics metrics) {
                control.tick();
            }
        };
    }

    private static void commit(KafkaConsumer<String, String> c, TopicPartition partition, long next) {
        try {
            c.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
        } catch (RuntimeException e) {
            // Lost the partition in a rebalance: the next owner reads the command and finds the job claimed.
            LOG.warnf("cannot commit %s@%d: %s", partition, next, e.getMessage());
        }
    }

    private Properties properties() {
        Properties p = kafka.consumer(GROUP, StringDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        // Claiming takes well under a second; a worker that dies between poll and commit leaves the
        // group after 15 s (not Kafka's default 45 s) and its command goes to another worker.
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        return p;
    }
}
