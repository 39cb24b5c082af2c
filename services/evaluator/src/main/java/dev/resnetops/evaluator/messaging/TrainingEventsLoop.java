package dev.resnetops.evaluator.messaging;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.TrainingFinished;
import dev.resnetops.evaluator.config.EvaluatorConfig;
import dev.resnetops.evaluator.service.EvaluationService;
import dev.resnetops.evaluator.service.Outcome;
import dev.resnetops.kafka.KafkaClientProperties;
import dev.resnetops.loops.BackgroundLoop;
import dev.resnetops.loops.BackgroundLoops;
import dev.resnetops.loops.LoopControl;
import dev.resnetops.loops.LoopState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads training events (group {@code evaluator} by default) and evaluates every COMPLETED job, one at
 * a time; every other event is passed over.
 *
 * <p>Why a plain {@link KafkaConsumer} loop rather than a SmallRye Reactive Messaging channel with a
 * raised {@code max.poll.interval.ms}: evaluating a ResNet-50 on a full test split takes minutes to
 * hours on a CPU, with no useful upper bound to configure; MLflow being down must keep the event
 * (seek back, no commit) for as long as it takes, which an acknowledgement-based channel expresses only
 * through its failure strategies; and the trainer already runs the same pattern. So the loop pauses its
 * partitions, hands the event to a worker thread and keeps polling (heartbeats only) until the work
 * ends, then commits the offset. A crash before the commit redelivers the event; the service's
 * inbox and "job already has a model version" checks make that harmless.
 *
 * <p>The consumer runs on a {@link BackgroundLoop} (restarted with a new consumer if it fails); it ticks on
 * every poll, also while an evaluation runs on the worker thread, so a long evaluation is not STUCK.
 */
@ApplicationScoped
public class TrainingEventsLoop {

    private static final Logger LOG = Logger.getLogger(TrainingEventsLoop.class);
    private static final Duration POLL = Duration.ofMillis(250);
    /** Polls come every 250 ms; a commit while the broker is away blocks up to a minute. */
    private static final Duration STUCK_AFTER = Duration.ofMinutes(5);

    private final EvaluationService service;
    private final EvaluatorConfig config;
    private final KafkaClientProperties kafka;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "evaluation"));
    private final BackgroundLoop loop;

    private volatile Set<TopicPartition> assigned = Set.of();
    private volatile UUID currentJob;
    private volatile String lastRetryReason;

    TrainingEventsLoop(EvaluationService service, EvaluatorConfig config, KafkaClientProperties kafka,
                       BackgroundLoops loops) {
        this.service = service;
        this.config = config;
        this.kafka = kafka;
        this.loop = loops.register(BackgroundLoop.named("training-events")
                .setBody(this::consume)
                .setStuckAfter(STUCK_AFTER)
                .optJoinTimeout(Duration.ofSeconds(30))
                .build());
    }

    void start(@Observes StartupEvent event) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
        // An evaluation still running is abandoned without a commit: the event comes again after a restart.
        worker.shutdownNow();
    }

    /** Whether the consumer loop runs (restarting after a failure included; not stuck, dead or stopped). */
    public boolean running() {
        LoopState state = loop.health().state();
        return state == LoopState.RUNNING || state == LoopState.RESTARTING;
    }

    /** The partitions this instance reads, with their start positions known (empty before the first assignment). */
    public Set<TopicPartition> assignedPartitions() {
        return assigned;
    }

    /** The job being evaluated right now, or null. */
    public UUID currentJob() {
        return currentJob;
    }

    /** Why the event at the head was last kept for a retry; null after a success. */
    public String lastRetryReason() {
        return lastRetryReason;
    }

    private void consume(LoopControl control) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
            control.wakeUpWith(c::wakeup);
            c.subscribe(List.of(Topics.TRAINING_EVENTS), new Assignment(c));
            LOG.infof("waiting for finished training jobs on %s (group %s)", Topics.TRAINING_EVENTS,
                    config.consumerGroup());
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
        Message message;
        try {
            message = MessageCodec.fromJson(record.value());
        } catch (MalformedMessageException e) {
            LOG.errorf("skipping malformed record %s@%d (key %s): %s", partition, record.offset(), record.key(),
                    e.getMessage());
            commit(c, partition, record.offset() + 1);
            return;
        }
        if (!(message instanceof TrainingFinished finished) || finished.state() != JobState.COMPLETED) {
            // Progress, epoch metrics, failed and cancelled jobs: nothing to evaluate. Committed without
            // waiting, the next synchronous commit covers it anyway.
            c.commitAsync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)), null);
            return;
        }
        c.pause(c.assignment());
        try {
            evaluateUntilDone(c, partition, record.offset(), finished, control);
        } finally {
            if (control.running()) {
                c.resume(c.assignment());
            }
        }
    }

    /**
     * Retries the event in memory (its offset stays uncommitted) with a doubling backoff until it is done,
     * the service stops, or the partition moves to another instance.
     */
    private void evaluateUntilDone(KafkaConsumer<String, String> c, TopicPartition partition, long offset,
                                   TrainingFinished finished, LoopControl control) {
        Duration backoff = config.retry().initialBackoff();
        while (control.running()) {
            Outcome outcome = runWhilePolling(c, finished, control);
            if (outcome == null) {
                return; // shutting down mid-evaluation: no commit, the event comes again
            }
            if (!outcome.retry()) {
                lastRetryReason = null;
                commit(c, partition, offset + 1);
                return;
            }
            lastRetryReason = outcome.reason();
            LOG.warnf("job %s: %s; keeping the event and retrying in %d ms", finished.jobId(), outcome.reason(),
                    backoff.toMillis());
            idle(c, backoff, control);
            if (!c.assignment().contains(partition)) {
                // Moved to another instance meanwhile: it reads the event again from the last commit.
                lastRetryReason = null;
                return;
            }
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(config.retry().maxBackoff()) > 0 ? config.retry().maxBackoff() : doubled;
        }
    }

    /** Runs the evaluation on the worker thread and polls meanwhile; null when interrupted by shutdown. */
    private Outcome runWhilePolling(KafkaConsumer<String, String> c, TrainingFinished event, LoopControl control) {
        currentJob = event.jobId();
        try {
            Future<Outcome> work = worker.submit(() -> service.process(event));
            while (!work.isDone()) {
                ConsumerRecords<String, String> unexpected = c.poll(POLL);
                // Partitions are paused, so nothing arrives; if a rebalance slipped one in, read it again later.
                unexpected.partitions().forEach(p -> c.seek(p, unexpected.records(p).get(0).offset()));
                control.tick();
            }
            return work.get();
        } catch (WakeupException e) {
            if (!control.running()) {
                return null;
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            // process() handles its own failures; reaching here means the worker thread itself broke.
            return Outcome.retry("the evaluation thread failed: " + e);
        } finally {
            currentJob = null;
        }
    }

    private void idle(KafkaConsumer<String, String> c, Duration duration, LoopControl control) {
        long end = System.nanoTime() + duration.toNanos();
        while (control.running() && System.nanoTime() < end) {
            c.poll(POLL);
            control.tick();
        }
    }

    private static void commit(KafkaConsumer<String, String> c, TopicPartition partition, long next) {
        try {
            c.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
        } catch (RuntimeException e) {
            // The partition moved to another instance meanwhile; it reads the event and finds the job recorded.
            LOG.warnf("cannot commit %s@%d: %s", partition, next, e.getMessage());
        }
    }

    private Properties properties() {
        Properties p = kafka.consumer(config.consumerGroup(), StringDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.autoOffsetReset());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        return p;
    }

    /** Keeps new partitions paused while an evaluation runs, and resolves their start positions at once. */
    private final class Assignment implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, String> consumer;

        Assignment(KafkaConsumer<String, String> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (currentJob != null) {
                consumer.pause(partitions);
            }
            // With auto.offset.reset=latest the position is otherwise looked up lazily, and an event
            // published between assignment and that lookup would be passed over.
            partitions.forEach(consumer::position);
            assigned = Set.copyOf(consumer.assignment());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assigned = Set.copyOf(consumer.assignment().stream().filter(p -> !partitions.contains(p)).toList());
        }
    }
}
