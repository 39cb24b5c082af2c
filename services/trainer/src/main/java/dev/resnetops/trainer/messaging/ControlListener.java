package dev.resnetops.trainer.messaging;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.CancelTraining;
import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.trainer.service.CancelSwitch;
import dev.resnetops.trainer.service.RunningJob;
import dev.resnetops.trainer.service.WorkerIdentity;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads the control topic with a consumer group of its own, so every worker sees every CancelTraining;
 * the one running that job stops it before its next training step. (A cancel sent while no worker
 * runs the job is settled through the database: the job is already CANCELLED or flagged.)
 */
@ApplicationScoped
public class ControlListener {

    private static final Logger LOG = Logger.getLogger(ControlListener.class);

    private final RunningJob running;
    private final WorkerIdentity worker;
    private final String bootstrapServers;
    private volatile boolean stopping;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    ControlListener(RunningJob running, WorkerIdentity worker,
                    @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.running = running;
        this.worker = worker;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::listen, "training-control");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void listen() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // A group per process: a broadcast, not a work queue. Only messages from now on matter.
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "trainer-control-" + worker.id() + "-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            consumer = c;
            c.subscribe(List.of(Topics.TRAINING_CONTROL));
            while (!stopping) {
                for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(500))) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error("the control listener stopped; cancellation falls back to the database flag", e);
        }
    }

    private void handle(ConsumerRecord<String, String> record) {
        try {
            Message message = MessageCodec.fromJson(record.value());
            if (message instanceof CancelTraining cancel && running.cancel(cancel.jobId(), CancelSwitch.Reason.CANCELLED)) {
                LOG.infof("job %s: cancel requested (%s); stopping at the next step", cancel.jobId(), cancel.reason());
            }
        } catch (MalformedMessageException e) {
            LOG.warnf("ignoring a control record at offset %d: %s", record.offset(), e.getMessage());
        }
    }
}
