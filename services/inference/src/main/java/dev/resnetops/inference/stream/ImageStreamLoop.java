package dev.resnetops.inference.stream;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.stream.ImageHeaders;
import dev.resnetops.contracts.stream.PredictionCodec;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
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
 * has waited {@code max-batch-wait}, whichever comes first.
 */
@ApplicationScoped
public class ImageStreamLoop {

    private static final Logger LOG = Logger.getLogger(ImageStreamLoop.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    /** The consumer's session timeout, also how long a heartbeat silence may last before the broker counts as away. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    /** Dead letters carry the original image up to this size; a larger one would risk the producer's request limit. */
    private static final int DEAD_LETTER_VALUE_LIMIT = 512 * 1024;

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
                oneByOneLeft = Math.max(session.pending.size(), config.stream().maxBatchSize());
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
        private final List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
        private KafkaConsumer<byte[], byte[]> in;
        private KafkaProducer<byte[], byte[]> out;
        private long deadline;
        /** Set when the session failed: closing it must not try to commit again. */
        private boolean broken;

        Session(LoopControl control) {
            this.control = control;
        }

        void run() {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties());
                 KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties())) {
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
                for (ConsumerRecord<byte[], byte[]> record : c.poll(pollTimeout())) {
                    if (pending.isEmpty()) {
                        deadline = System.nanoTime() + config.stream().maxBatchWait().toNanos();
                    }
                    pending.add(record);
                }
                if (pending.size() >= config.stream().maxBatchSize()
                        || (!pending.isEmpty() && System.nanoTime() >= deadline)) {
                    flush();
                }
                noteBrokerContact(coordinator);
                control.tick();
            }
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
            if (pending.isEmpty()) {
                return IDLE_POLL;
            }
            return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        }

        /** Classifies the pending images and commits predictions, dead letters and offsets as one transaction. */
        private void flush() {
            if (pending.isEmpty()) {
                return;
            }
            BatchClassifier.Result result;
            boolean oneByOne = oneByOneLeft > 0;
            try (ModelLease lease = models.acquire()) {
                result = batches.classify(pending, lease.model(), oneByOne);
            }
            out.beginTransaction();
            try {
                for (StreamOutcome outcome : result.outcomes()) {
                    out.send(toRecord(outcome));
                }
                out.sendOffsetsToTransaction(nextOffsets(), in.groupMetadata());
                out.commitTransaction();
            } catch (RuntimeException e) {
                abortQuietly();
                throw e;
            }
            record(result);
            if (oneByOne) {
                oneByOneLeft = Math.max(0, oneByOneLeft - pending.size());
            }
            pending.clear();
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
                    LOG.debugf("dead-lettered %s: %s", source(dead.record()), dead.reason());
                } else {
                    metrics.queued(Duration.ofMillis(now - outcome.record().timestamp()));
                }
            }
        }

        private Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : pending) {
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
            if (!broken) {
                flush();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // No longer ours, and committing now would be fenced: the new owner reads these images again.
            pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.infof("reading %s", partitions);
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> toRecord(StreamOutcome outcome) {
        ConsumerRecord<byte[], byte[]> image = outcome.record();
        if (outcome instanceof StreamOutcome.Answered answered) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.PREDICTIONS, image.key(),
                    PredictionCodec.toJson(answered.prediction()));
            record.headers().add(ImageHeaders.REQUEST_ID, utf8(answered.prediction().requestId()));
            record.headers().add(ImageHeaders.CONTENT_TYPE, utf8("application/json"));
            return record;
        }
        StreamOutcome.DeadLettered dead = (StreamOutcome.DeadLettered) outcome;
        byte[] value = image.value();
        String reason = dead.reason();
        if (value != null && value.length > DEAD_LETTER_VALUE_LIMIT) {
            reason += " (the " + value.length + "-byte image is not copied to the dead letter; it is at "
                    + source(image) + ")";
            value = null;
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.IMAGES_DLQ, image.key(), value);
        for (Header header : image.headers()) {
            record.headers().add(header);
        }
        record.headers().add(ImageHeaders.DLQ_REASON, utf8(reason));
        record.headers().add(ImageHeaders.DLQ_SOURCE, utf8(source(image)));
        return record;
    }

    private static String source(ConsumerRecord<byte[], byte[]> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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
