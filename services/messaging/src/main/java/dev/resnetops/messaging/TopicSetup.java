package dev.resnetops.messaging;

import dev.resnetops.contracts.Topics;
import dev.resnetops.kafka.KafkaClientProperties;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates the platform's topics when a service starts, with a partition count chosen here rather than
 * by the broker's auto-creation default: the partitions of the training commands bound how many
 * workers can train in parallel. Existing topics are left as they are.
 *
 * <p>On a broker with ACLs (docs/security.md) the service principals have no CREATE right: the admin
 * creates the topics before the services start ({@code ./mlops up}, the compose broker, the chart's
 * KafkaTopics), and a service sees only the topics it may describe. A refusal here is then expected and
 * logged as such; it is the admin principal of the tests that creates topics through this class.
 */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    void createTopics(@Observes StartupEvent event, KafkaClientProperties kafka, TopicConfig topics) {
        int partitions = topics.partitions();
        Properties p = kafka.admin();
        // The admin client refuses an API timeout below its request timeout (30 s by default).
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.all().stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, topics.replicationFactor())).toList();
            if (!missing.isEmpty()) {
                List<String> notOurs = new ArrayList<>();
                // Racing with another service creating the same topic is fine: "already exists" is success.
                admin.createTopics(missing).values().forEach((topic, future) -> {
                    try {
                        future.get(15, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        if (e.getCause() instanceof TopicAuthorizationException) {
                            notOurs.add(topic);
                        } else if (!(e.getCause() instanceof TopicExistsException)) {
                            LOG.warnf("cannot create topic %s: %s", topic, e.getMessage());
                        }
                    }
                });
                if (!notOurs.isEmpty()) {
                    LOG.infof("Kafka topics %s are not visible to this service's principal (or missing): the"
                            + " platform's admin creates them, and the ACLs decide who uses them (docs/security.md)",
                            notOurs);
                }
                List<String> created = missing.stream().map(NewTopic::name).filter(t -> !notOurs.contains(t)).toList();
                if (!created.isEmpty()) {
                    LOG.infof("created Kafka topics %s (%d partitions)", created, partitions);
                }
            }
        } catch (Exception e) {
            // Not fatal: the broker still creates a topic on first use (with its default partition count).
            LOG.warnf("cannot check the Kafka topics at %s: %s", kafka.bootstrapServers(), e.getMessage());
        }
    }
}
