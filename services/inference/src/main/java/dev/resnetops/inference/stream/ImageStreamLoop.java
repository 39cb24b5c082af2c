package dev.resnetops.inference.stream;

import dev.resnetops.contracts.Topics;
import dev.resnetops.inference.config.InferenceConfig;
import dev.resnetops.inference.config.InstanceId;
import dev.resnetops.inference.model.ModelHolder;
import dev.resnetops.inference.model.ModelLease;
import dev.resnetops.inference.observability.InferenceMetrics;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * The image stream: images in, predictions (or dead letters) out, exactly once.
 *
 * <p><b>Delivery.</b> Each micro-batch is one Kafka transaction holding its predictions, its dead letters
 * and the consumer offsets past its images ({@code sendOffsetsToTransaction} with the group's metadata).
 * Either all of it becomes visible or none: a crash, a fenced producer or a broker restart before the
 * commit aborts it, the offsets stay where they were, and the images are classified again by whoever owns
 * the partition next; readers of the predictions topic with {@code isolation.level=read_committed} never
 * see the aborted copies. Kafka transactions were chosen over idempotent production plus deduplication
 * by request id because input and output are both Kafka: the broker already provides the atomic
 * read-process-write, while deduplication would need a store shared by all instances, a retention policy
 * for it, and would still have to trust callers to make request ids unique.
 *
 * <p><b>Recovery.</b> Any failure of a session (broker unreachable past {@code max.block.ms}, fencing, a
 * rebalance that lost the partitions) closes consumer and producer without committing, and the
 * {@link BackgroundLoop} starts a new session after a backoff: the new consumer resumes at the committed
 * offsets, so uncommitted images are classified again, and the transactional id
 * (stable per instance) lets the new producer abort whatever its predecessor left open. Static group
 * membership ({@code group.instance.id}) lets a restarted instance take its partitions back at once instead
 * of after a rebalance. An {@link Error} ends a session the same way rather than the loop, and the next
 * session classifies the images it reads again one by one ({@link BatchClassifier}), so one image cannot
 * stop the stream; a model call that throws is isolated to its images within the batch. Readiness
 * ({@code image-stream}) is DOWN whenever no session consumes.
 *
 * <p>Plain clients rather than a SmallRye Reactive Messaging channel: the batch's outputs and its input
 * offsets must commit in one producer transaction ({@code sendOffsetsToTransaction} with the consumer's
 * group metadata), with the transactional id and static membership derived from this instance's id, and
 * a failed session rebuilt as a whole; that is the clients' own API, not a channel's.
 *
 * <p><b>Micro-batching.</b> A batch runs when it holds {@code max-batch-size} images or its first image
 * has waited {@code max-batch-wait}, whichever comes first; images that arrived while the model was busy
 * run as soon as it is free (they have waited already, and a wait on top only lengthened the tail). The model runs on a thread of its own
 * ({@link ModelThread}) while the session's thread commits the previous batch's transaction: under load
 * ONNX Runtime no longer idles through the broker round trips of each commit, and a lone batch is
 * committed as soon as it is classified.
 */
@ApplicationScoped
public class ImageStreamLoop {

    private static final Logger LOG = Logger.getLogger(ImageStreamLoop.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    /** The consumer's session timeout, also how long a heartbeat silence may last before the broker counts as away. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final ModelHolder models;
    private final InferenceConfig config;
    private final InstanceId instance;
    private final InferenceMetrics metrics;
    private final KafkaClientProperties kafka;
    private final BatchClassifier batches;
    private final BackgroundLoop loop;

    /** What the body does now: WAITING_FOR_MODEL or RUNNING; the loop's own state says the rest. */
    private volatile StreamState activity = StreamState.WAITING_FOR_MODEL;
    /**
     * Images still to classify one by one, after a session ended with an {@link Error}: the images it was
     * classifying are read again, and one of them may be what threw it.
     */
    private int oneByOneLeft;

    ImageStreamLoop(ModelHolder models, InferenceConfig config, InstanceId instance, InferenceMetrics metrics,
                    KafkaClientProperties kafka, BackgroundLoops loops, BatchInference inference) {
        this.models = models;
        this.config = config;
        this.instance = instance;
        this.metrics = metrics;
        this.kafka = kafka;
        this.batches = new BatchClassifier(config.maxImageBytes(), inference);
        this.loop = loops.register(BackgroundLoop.named("image-stream")
                .setBody(this::run)
                .optRestartBackoff(FIRST_BACKOFF, MAX_BACKOFF)
                .setStuckAfter(config.stream().stuckAfter())
                .optJoinTimeout(Duration.ofSeconds(20))
                .optEnabled(config.stream().enabled())
                .build());
    }

    void start(@Observes StartupEvent event) {
        if (!config.stream().enabled()) {
            LOG.info("the image stream is disabled (mlops.inference.stream.enabled=false): REST only");
            return;
        }
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    public StreamState state() {
        return switch (loop.health().state()) {
            case DISABLED -> StreamState.DISABLED;
            case RESTARTING -> StreamState.RECOVERING;
            case STOPPED, DEAD -> StreamState.STOPPED;
            case NEW, RUNNING, STUCK -> activity;
        };
    }

    /** Why the last session failed, while a new one is being started; null once it works. */
    public String lastError() {
        return loop.health().lastError();
    }

    /**
     * Whether images are being read and answered now: a session is subscribed and its loop ticks. False
     * while waiting for a model, between two sessions (broker down, fenced, an Error) and when stuck.
     */
    public boolean consuming() {
        return loop.health().state() == LoopState.RUNNING && activity == StreamState.RUNNING;
    }

    /** Sessions one after another; a failed one throws, and the loop starts the next after a backoff. */
    private void run(LoopControl control) {
        while (control.running()) {
            if (models.served().isEmpty()) {
                activity = StreamState.WAITING_FOR_MODEL;
                control.pause(Duration.ofMillis(250));
                continue;
            }
            Session session = new Session(control);
            try {
                session.run();
            } catch (ProducerFencedException e) {
                throw new IllegalStateException("another producer with transactional id " + transactionalId()
                        + " took over: is a second instance running with instance id '" + instance.value()
                        + "'? Instance ids must be unique (MLOPS_INSTANCE_ID)", e);
            } catch (Error e) {
                // An Error would end the loop for good (DEAD), and with it the stream, although the JVM can
                // usually go on: an out-of-memory on one huge batch, a stack overflow in one image's decoder.
                // As an exception it makes the loop start a new session after its backoff, like any failed
                // session; the images of the failed batch are read again and classified one by one, so an
                // image that throws the same Error again is dead-lettered instead of ending the next session.
                oneByOneLeft = Math.max(session.uncommitted(), config.stream().maxBatchSize());
                throw new IllegalStateException("the stream session ended with " + BackgroundLoop.describe(e)
                        + "; a new session classifies the next " + oneByOneLeft + " images one by one", e);
            }
        }
    }

    private String transactionalId() {
        return "resnetops-inference-" + instance.value();
    }

    /** One consumer and one transactional producer, used until something fails or the service stops. */
    private final class Session implements ConsumerRebalanceListener {

        private final LoopControl control;
        /** Images read and not yet handed to the model. */
        private final List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
        /** The batch the model classifies now; empty between model calls. */
        private List<ConsumerRecord<byte[], byte[]>> inModel = List.of();
        /** The last classified batch, until its transaction commits; null when none waits. */
        private Classified classified;
        private KafkaConsumer<byte[], byte[]> in;
        private KafkaProducer<byte[], byte[]> out;
        private ModelThread model;
        private long deadline;
        /** Set when the session failed: closing it must not try to commit again. */
        private boolean broken;

        Session(LoopControl control) {
            this.control = control;
        }

        /** Images of this session that were read and not committed: the next session reads them again. */
        int uncommitted() {
            return pending.size() + inModel.size() + (classified == null ? 0 : classified.records().size());
        }

        void run() {
            try (ModelThread thread = new ModelThread();
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties());
                 KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties())) {
                model = thread;
                out = producer;
                in = c;
                control.wakeUpWith(c::wakeup);
                try {
                    consume(producer, c);
                } catch (RuntimeException | Error e) {
                    // Before the resources close: closing the consumer revokes its partitions, and the
                    // revocation must not try to commit the failed batch again.
                    broken = true;
                    throw e;
                }
            } catch (WakeupException e) {
                if (control.running()) {
                    throw e;
                }
                // Shutting down: pending images are not committed, whoever reads the partition next answers them.
            }
        }

        private void consume(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> c) {
            producer.initTransactions();
            c.subscribe(List.of(Topics.IMAGES), this);
            if (!control.running()) {
                return;
            }
            activity = StreamState.RUNNING;
            CoordinatorContact coordinator = CoordinatorContact.of(c.metrics(), SESSION_TIMEOUT);
            control.tick();
            LOG.infof("classifying %s into %s (group %s, batches of up to %d or %d ms, transactional id %s)",
                    Topics.IMAGES, Topics.PREDICTIONS, config.stream().consumerGroup(),
                    config.stream().maxBatchSize(), config.stream().maxBatchWait().toMillis(), transactionalId());
            while (control.running()) {
                // Right after a model call (a classified batch waits for its commit) whatever arrived meanwhile
                // has waited for the model already: it goes next at once, with no max-wait on top.
                boolean modelWasBusy = classified != null;
                for (ConsumerRecord<byte[], byte[]> record : c.poll(pollTimeout())) {
                    if (pending.isEmpty()) {
                        deadline = System.nanoTime() + (modelWasBusy ? 0 : config.stream().maxBatchWait().toNanos());
                    }
                    pending.add(record);
                }
                if (batchDue()) {
                    classifyPendingWhileCommitting();
                } else if (classified != null) {
                    // No next batch to overlap its transaction with: commit now rather than keep it waiting.
                    commit();
                }
                noteBrokerContact(coordinator);
                control.tick();
            }
        }

        private boolean batchDue() {
            return pending.size() >= config.stream().maxBatchSize()
                    || (!pending.isEmpty() && System.nanoTime() >= deadline);
        }

        /** An idle session with the broker gone fails nothing: the readiness check learns it from here. */
        private void noteBrokerContact(CoordinatorContact coordinator) {
            boolean lost = coordinator.lost();
            if (lost && activity == StreamState.RUNNING) {
                LOG.warnf("no heartbeat to the group coordinator for %d s: the broker is unreachable, images wait"
                        + " on %s until it is back", coordinator.silence().toSeconds(), Topics.IMAGES);
            } else if (!lost && activity == StreamState.BROKER_UNREACHABLE) {
                LOG.info("the group coordinator answers again: classifying");
            }
            activity = lost ? StreamState.BROKER_UNREACHABLE : StreamState.RUNNING;
        }

        private Duration pollTimeout() {
            if (classified != null) {
                // A classified batch waits for its commit: take only what is fetched already, so that under
                // load the model starts on the next batch before the commit; with nothing there, commit at once.
                return Duration.ZERO;
            }
            if (pending.isEmpty()) {
                return IDLE_POLL;
            }
            return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        }

        /**
         * Starts the model on the pending images, commits the previously classified batch while it runs, then
         * waits for the model. Transactions still commit one at a time in batch order, each with the offsets
         * past its own images, so committed offsets only move forward: when this batch's model call or the
         * previous commit fails, the session ends, and everything after the last committed transaction is
         * read and classified again by the next session.
         */
        private void classifyPendingWhileCommitting() {
            boolean oneByOne = oneByOneLeft > 0;
            // Two polls can hold more than a batch: the rest goes next, in order.
            List<ConsumerRecord<byte[], byte[]>> taken =
                    pending.subList(0, Math.min(pending.size(), config.stream().maxBatchSize()));
            List<ConsumerRecord<byte[], byte[]>> batch = List.copyOf(taken);
            inModel = batch;
            taken.clear();
            long started = System.currentTimeMillis();
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                metrics.queued(Duration.ofMillis(started - record.timestamp()));
            }
            Future<BatchClassifier.Result> call = model.start(() -> {
                try (ModelLease lease = models.acquire()) {
                    return batches.classify(batch, lease.model(), oneByOne);
                }
            });
            if (classified != null) {
                commit();
            }
            BatchClassifier.Result result = ModelThread.await(call);
            classified = new Classified(batch, result, oneByOne);
            inModel = List.of();
        }

        /** Commits the classified batch's predictions, dead letters and offsets as one transaction. */
        private void commit() {
            Classified batch = classified;
            long begun = System.nanoTime();
            out.beginTransaction();
            try {
                for (StreamOutcome outcome : batch.result().outcomes()) {
                    out.send(OutcomeRecords.of(outcome));
                }
                out.sendOffsetsToTransaction(nextOffsets(batch.records()), in.groupMetadata());
                out.commitTransaction();
            } catch (RuntimeException e) {
                abortQuietly();
                throw e;
            }
            metrics.committed(Duration.ofNanos(System.nanoTime() - begun));
            classified = null;
            record(batch.result());
            if (batch.oneByOne()) {
                oneByOneLeft = Math.max(0, oneByOneLeft - batch.records().size());
            }
        }

        /** Classifies and commits everything read so far. */
        private void drain() {
            while (!pending.isEmpty()) {
                classifyPendingWhileCommitting();
            }
            if (classified != null) {
                commit();
            }
        }

        private void record(BatchClassifier.Result result) {
            if (result.classified() > 0) {
                metrics.batch(result.classified(), result.modelTime());
                metrics.classified(InferenceMetrics.Source.STREAM, result.classified());
            }
            long now = System.currentTimeMillis();
            for (StreamOutcome outcome : result.outcomes()) {
                if (outcome instanceof StreamOutcome.DeadLettered dead) {
                    metrics.rejected(InferenceMetrics.Source.STREAM);
                    metrics.deadLettered(dead.kind());
                    LOG.debugf("dead-lettered %s: %s", OutcomeRecords.source(dead.record()), dead.reason());
                } else {
                    metrics.answered(Duration.ofMillis(now - outcome.record().timestamp()));
                }
            }
        }

        private Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<byte[], byte[]>> records) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                        (a, b) -> a.offset() >= b.offset() ? a : b);
            }
            return offsets;
        }

        private void abortQuietly() {
            try {
                out.abortTransaction();
            } catch (RuntimeException e) {
                // Fenced or the broker is gone: the broker aborts it (timeout, or the next initTransactions).
                LOG.debugf("abort failed too: %s", e.getMessage());
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Commit what was read while we still own it; the new owner starts after it. Not after a
            // failure (closing the consumer revokes too): those images are read again from the last commit.
            // The model never runs here: revocation happens inside poll, and a model call ends before it.
            if (!broken) {
                drain();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // No longer ours, and committing now would be fenced: the new owner reads these images again.
            pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            if (classified != null) {
                classified = classified.without(partitions);
                if (classified.records().isEmpty()) {
                    classified = null;
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.infof("reading %s", partitions);
            }
        }
    }

    /** A classified batch waiting for its transaction: its images, their outcomes, and how it was classified. */
    private record Classified(List<ConsumerRecord<byte[], byte[]>> records, BatchClassifier.Result result,
                              boolean oneByOne) {

        /** This batch without the images of partitions this instance lost; their new owner answers them. */
        Classified without(Collection<TopicPartition> lost) {
            List<StreamOutcome> kept = result.outcomes().stream()
                    .filter(o -> !lost.contains(new TopicPartition(o.record().topic(), o.record().partition())))
                    .toList();
            int answered = (int) kept.stream().filter(o -> o instanceof StreamOutcome.Answered).count();
            return new Classified(kept.stream().map(StreamOutcome::record).toList(),
                    new BatchClassifier.Result(kept, result.modelTime(), answered), oneByOne);
        }
    }

    private Properties consumerProperties() {
        Properties p = kafka.consumer(config.stream().consumerGroup(), ByteArrayDeserializer.class);
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "inference-" + instance.value());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.stream().autoOffsetReset());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.stream().maxBatchSize());
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        return p;
    }

    private Properties producerProperties() {
        Properties p = kafka.producer(ByteArraySerializer.class);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) config.stream().transactionTimeout().toMillis());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // How long initTransactions/commitTransaction block while the broker is unreachable before the
        // session is given up and rebuilt (the batch is classified again, nothing is lost).
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return p;
    }
}
