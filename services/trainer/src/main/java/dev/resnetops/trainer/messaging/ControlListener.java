package dev.resnetops.trainer.messaging;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.CancelTraining;
import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.kafka.KafkaClientProperties;
import dev.resnetops.loops.BackgroundLoop;
import dev.resnetops.loops.BackgroundLoops;
import dev.resnetops.loops.LoopControl;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the control topic with a consumer group of its own, so every worker sees every CancelTraining;
 * the one running that job stops it before its next training step. (A cancel sent while no worker
 * runs the job is settled through the database: the job is already CANCELLED or flagged. So is one sent
 * while this loop restarts after a failure: the lease heartbeat reads the flag.)
 */
@ApplicationScoped
public class ControlListener {

    private static final Logger LOG = Logger.getLogger(ControlListener.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** Polls return every 500 ms; a close after a broker outage can take a minute. */
    private static final Duration STUCK_AFTER = Duration.ofMinutes(2);

    private final RunningJob running;
    private final WorkerIdentity worker;
    private final KafkaClientProperties kafka;
    private final BackgroundLoop loop;

    ControlListener(RunningJob running, WorkerIdentity worker, KafkaClientProperties kafka, BackgroundLoops loops) {
        this.running = running;
        this.worker = worker;
        this.kafka = kafka;
        this.loop = loops.register(BackgroundLoop.named("training-control")
                .setBody(this::listen)
                .setStuckAfter(STUCK_AFTER)
                .optJoinTimeout(Duration.ofSeconds(5))
                .build());
    }

    void start(@Observes StartupEvent event) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    private void listen(LoopControl control) {
        // A group per process (and per restart): a broadcast, not a work queue. Only messages from now on matter.
        Properties p = kafka.consumer("trainer-control-" + worker.id() + "-" + UUID.randomUUID(),
                StringDeserializer.class);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            control.wakeUpWith(c::wakeup);
            c.subscribe(List.of(Topics.TRAINING_CONTROL));
            while (control.running()) {
                for (ConsumerRecord<String, String> record : c.poll(POLL)) {
                    handle(record);
                }
                control.tick();
            }
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
