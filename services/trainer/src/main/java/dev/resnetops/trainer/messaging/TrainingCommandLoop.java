package dev.resnetops.trainer.messaging;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.trainer.service.CancelSwitch;
import dev.resnetops.trainer.service.JobRunner;
import dev.resnetops.trainer.service.RunningJob;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The worker's consumer of StartTraining commands (group {@code trainer}): one job at a time.
 *
 * <p>A job runs for minutes to days, far longer than Kafka lets a consumer go without polling. So the
 * loop pauses its partitions, hands the job to a training thread and keeps polling (heartbeats only)
 * until the job ends; only then is the command's offset committed. A worker that dies mid-job never
 * commits: the group gives the partition to another worker (or to its own restart), the command comes
 * again, and the job resumes from its last checkpoint once the dead worker's lease has expired.
 */
@ApplicationScoped
public class TrainingCommandLoop {

    private static final Logger LOG = Logger.getLogger(TrainingCommandLoop.class);
    private static final String GROUP = "trainer";
    private static final Duration POLL = Duration.ofMillis(250);

    private final JobRunner runner;
    private final RunningJob running;
    private final String bootstrapServers;
    private final Duration leaseDuration;
    private final ExecutorService trainingThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "training"));

    private volatile boolean stopping;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread loop;

    TrainingCommandLoop(JobRunner runner, RunningJob running,
                        @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                        @ConfigProperty(name = "mlops.trainer.lease-duration", defaultValue = "PT45S") Duration lease) {
        this.runner = runner;
        this.running = running;
        this.bootstrapServers = bootstrapServers;
        this.leaseDuration = lease;
    }

    void start(@Observes StartupEvent event) {
        loop = new Thread(this::consume, "training-commands");
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
        trainingThread.shutdownNow();
    }

    private void consume() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
            consumer = c;
            c.subscribe(List.of(Topics.TRAINING_COMMANDS), new PauseWhileBusy(c));
            LOG.infof("waiting for training commands on %s (group %s)", Topics.TRAINING_COMMANDS, GROUP);
            while (!stopping) {
                ConsumerRecords<String, String> records = c.poll(POLL);
                for (ConsumerRecord<String, String> record : records) {
                    handle(c, record);
                    break; // max.poll.records=1; never hold a second command while one trains
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
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
        c.pause(c.assignment());
        JobRunner.Outcome outcome = runWhilePolling(c, command);
        switch (outcome) {
            case DONE -> commit(c, partition, record.offset() + 1);
            case HELD_ELSEWHERE -> {
                // Read the command again after the holder's lease could have run out.
                c.seek(partition, record.offset());
                idle(c, leaseDuration.plusSeconds(1));
            }
            case INTERRUPTED -> {
                return; // shutting down: no commit, another worker resumes the job
            }
        }
        c.resume(c.assignment());
    }

    private JobRunner.Outcome runWhilePolling(KafkaConsumer<String, String> c, StartTraining command) {
        CancelSwitch cancel = running.begin(command.jobId());
        try {
            Future<JobRunner.Outcome> job = trainingThread.submit(() -> runner.run(command, cancel));
            while (!job.isDone()) {
                ConsumerRecords<String, String> unexpected = c.poll(POLL);
                // Partitions are paused, so nothing arrives; if a rebalance slipped one in, read it again later.
                unexpected.partitions().forEach(p -> c.seek(p, unexpected.records(p).get(0).offset()));
            }
            return job.get();
        } catch (WakeupException e) {
            throw e;
        } catch (Exception e) {
            LOG.errorf(e, "job %s: the training thread failed", command.jobId());
            return JobRunner.Outcome.DONE;
        } finally {
            running.end(command.jobId());
        }
    }

    private void idle(KafkaConsumer<String, String> c, Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (!stopping && System.nanoTime() < end) {
            c.poll(POLL);
        }
    }

    private static void commit(KafkaConsumer<String, String> c, TopicPartition partition, long next) {
        try {
            c.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
        } catch (RuntimeException e) {
            // The partition moved to another worker meanwhile; it reads the command, sees the job settled.
            LOG.warnf("cannot commit %s@%d: %s", partition, next, e.getMessage());
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
        // Cooperative rebalancing: a worker joining does not take partitions away from a busy one
        // unless they are reassigned; those that stay keep their pause.
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        return p;
    }

    /** Newly assigned partitions stay paused while a job trains. */
    private final class PauseWhileBusy implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, String> consumer;

        PauseWhileBusy(KafkaConsumer<String, String> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (running.busy()) {
                consumer.pause(partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to flush: offsets are committed only when a job ends.
        }
    }
}
