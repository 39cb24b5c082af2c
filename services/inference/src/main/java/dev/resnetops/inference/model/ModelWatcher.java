package dev.resnetops.inference.model;

import dev.resnetops.contracts.Topics;
import dev.resnetops.contracts.messages.MalformedMessageException;
import dev.resnetops.contracts.messages.Message;
import dev.resnetops.contracts.messages.MessageCodec;
import dev.resnetops.contracts.messages.ModelAliasMoved;
import dev.resnetops.inference.config.InferenceConfig;
import dev.resnetops.inference.config.InstanceId;
import dev.resnetops.kafka.KafkaClientProperties;
import dev.resnetops.loops.BackgroundLoop;
import dev.resnetops.loops.BackgroundLoops;
import dev.resnetops.loops.LoopControl;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Keeps the served model on the alias: reads {@link ModelAliasMoved} events (a group per instance, so
 * every instance sees every event) and refreshes when one concerns the served model and alias; also
 * asks the registry every {@code registry-poll-interval}, which catches an alias moved in the MLflow UI
 * and recovers from a registry outage at load time. The event only triggers the lookup: the registry
 * stays the source of truth, so events arriving out of order cannot load an outdated version.
 *
 * <p>A plain consumer on a {@link BackgroundLoop}, not a SmallRye Reactive Messaging channel: its group and
 * static member id derive from the {@link InstanceId} worked out at run time (host and port), which a
 * channel's static configuration cannot name, and the event and the periodic lookup share one thread, so
 * two refreshes never overlap.
 */
@ApplicationScoped
public class ModelWatcher {

    private static final Logger LOG = Logger.getLogger(ModelWatcher.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final ModelHolder holder;
    private final InferenceConfig config;
    private final InstanceId instance;
    private final KafkaClientProperties kafka;
    private final BackgroundLoop loop;
    private volatile String lastProblem;

    ModelWatcher(ModelHolder holder, InferenceConfig config, InstanceId instance, KafkaClientProperties kafka,
                 BackgroundLoops loops) {
        this.holder = holder;
        this.config = config;
        this.instance = instance;
        this.kafka = kafka;
        this.loop = loops.register(BackgroundLoop.named("model-watcher")
                .setBody(this::watch)
                .setStuckAfter(config.watcherStuckAfter())
                .optJoinTimeout(Duration.ofSeconds(10))
                .build());
    }

    void start(@Observes StartupEvent event) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    /** Why the last registry lookup or load failed; null after a success. */
    public String lastProblem() {
        return lastProblem;
    }

    private void watch(LoopControl control) {
        LOG.infof("serving alias '%s' of %s; watching %s and the registry at %s", config.alias(), config.model(),
                Topics.MODEL_EVENTS, config.mlflowUrl());
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
            control.wakeUpWith(c::wakeup);
            // Subscribed before the first lookup: an event published in between is not missed.
            c.subscribe(List.of(Topics.MODEL_EVENTS));
            long nextCheck = System.nanoTime();
            while (control.running()) {
                boolean moved = false;
                for (ConsumerRecord<String, String> record : c.poll(POLL)) {
                    moved |= concernsUs(record);
                }
                if (moved || System.nanoTime() >= nextCheck) {
                    boolean ok = refresh();
                    long wait = ok ? config.registryPollInterval().toNanos() : RETRY.toNanos();
                    nextCheck = System.nanoTime() + wait;
                }
                control.tick();
            }
        }
    }

    private boolean concernsUs(ConsumerRecord<String, String> record) {
        Message message;
        try {
            message = MessageCodec.fromJson(record.value());
        } catch (MalformedMessageException e) {
            LOG.warnf("ignoring a malformed record on %s@%d: %s", Topics.MODEL_EVENTS, record.offset(), e.getMessage());
            return false;
        }
        if (message instanceof ModelAliasMoved moved && moved.model().equals(config.model())
                && moved.alias().equals(config.alias())) {
            LOG.infof("alias %s of %s moved to version %d; loading it", moved.alias(), moved.model(), moved.version());
            return true;
        }
        return false;
    }

    /** True when the registry answered and the alias's version is served (or there is none yet). */
    private boolean refresh() {
        try {
            holder.refresh();
            lastProblem = null;
            return true;
        } catch (RuntimeException e) {
            String problem = e.getMessage() != null ? e.getMessage() : e.toString();
            if (!problem.equals(lastProblem)) {
                LOG.warnf("cannot load the version behind alias %s of %s: %s (retrying every %d s)", config.alias(),
                        config.model(), problem, RETRY.toSeconds());
            }
            lastProblem = problem;
            return false;
        }
    }

    private Properties properties() {
        Properties p = kafka.consumer("inference-models-" + instance.value(), StringDeserializer.class);
        // Static membership, as on the image stream: without it, the instance restarted after a crash
        // (or any instance after a broker restart) joins as a new member, and the group waits for the
        // old member's session to expire (45 s) before assigning the partitions; a swap event
        // published meanwhile was applied only that much later (InferenceSystemTest measured 40 s).
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "inference-models-" + instance.value());
        // Only moves from now on matter: the first registry lookup covers everything before.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
        return p;
    }
}
