package dev.resnetops.trainer.messaging;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.trainer.service.CancelSwitch;
import dev.resnetops.trainer.service.ClaimedJob;
import dev.resnetops.trainer.service.JobClaimer;
import dev.resnetops.trainer.service.JobRunner;
import dev.resnetops.trainer.service.RunningJob;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
 */
@ApplicationScoped
public class TrainingCommandLoop {

    private static final Logger LOG = Logger.getLogger(TrainingCommandLoop.class);
    private static final String GROUP = "trainer";
    private static final Duration POLL = Duration.ofMillis(500);

    private final JobClaimer claimer;
    private final JobRunner runner;
    private final RunningJob running;
    private final String bootstrapServers;

    private volatile boolean stopping;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread loop;

    TrainingCommandLoop(JobClaimer claimer, JobRunner runner, RunningJob running,
                        @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.claimer = claimer;
        this.runner = runner;
        this.running = running;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        loop = new Thread(this::consume, "training");
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        running.cancel(CancelSwitch.Reason.SHUTDOWN);
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        loop.join(Duration.ofMinutes(2).toMillis());
    }

    private void consume() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
            consumer = c;
            c.subscribe(List.of(Topics.TRAINING_COMMANDS));
            LOG.infof("waiting for training commands on %s (group %s)", Topics.TRAINING_COMMANDS, GROUP);
            while (!stopping) {
                for (ConsumerRecord<String, String> record : c.poll(POLL)) {
                    handle(c, record); // max.poll.records=1
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                LOG.error("the training command loop was woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("the training command loop stopped", e);
        }
    }

    private void handle(KafkaConsumer<String, String> c, ConsumerRecord<String, String> record) {
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
            c.seek(partition, record.offset());
            pause(Duration.ofSeconds(2));
            return;
        }
        commit(c, partition, record.offset() + 1);
        if (claim.isEmpty()) {
            return;
        }
        // Leave the group while training: the other workers take all partitions meanwhile.
        c.unsubscribe();
        CancelSwitch cancel = running.begin(command.jobId());
        try {
            runner.train(claim.get(), cancel);
        } finally {
            running.end(command.jobId());
        }
        if (!stopping) {
            c.subscribe(List.of(Topics.TRAINING_COMMANDS));
        }
    }

    private static void commit(KafkaConsumer<String, String> c, TopicPartition partition, long next) {
        try {
            c.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
        } catch (RuntimeException e) {
            // Lost the partition in a rebalance: the next owner reads the command and finds the job claimed.
            LOG.warnf("cannot commit %s@%d: %s", partition, next, e.getMessage());
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
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
