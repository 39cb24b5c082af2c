package dev.resnetops.testsupport;

import dev.resnetops.kafka.KafkaLogin;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The connection and login of the Kafka clients that tests build themselves (producers of test commands,
 * probes of what a service published, admin clients). Tests act as the admin principal of infra.env
 * ({@code MLOPS_KAFKA_USER}/{@code MLOPS_KAFKA_PASSWORD}, exported by {@code ./mlops test}); the ACL tests
 * also as a service's principal ({@code MLOPS_KAFKA_<PRINCIPAL>_USER}/{@code _PASSWORD}) or as nobody.
 */
public final class TestKafka {

    private TestKafka() {
    }

    /** Bootstrap servers and the admin's login, for a consumer, producer or admin client. */
    public static Properties admin(String bootstrapServers) {
        return as(bootstrapServers, "MLOPS_KAFKA_USER", "MLOPS_KAFKA_PASSWORD");
    }

    /**
     * As one of the platform's principals, e.g. {@code "stream-client"} from
     * {@code MLOPS_KAFKA_STREAM_CLIENT_USER}/{@code _PASSWORD}.
     */
    public static Properties principal(String bootstrapServers, String principal) {
        String prefix = "MLOPS_KAFKA_" + principal.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        return as(bootstrapServers, prefix + "_USER", prefix + "_PASSWORD");
    }

    /** Without any login (PLAINTEXT), as a local user who knows only the port. */
    public static Properties anonymous(String bootstrapServers) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    private static Properties as(String bootstrapServers, String userVariable, String passwordVariable) {
        Properties p = anonymous(bootstrapServers);
        p.putAll(KafkaLogin.scram(required(userVariable), required(passwordVariable)).clientProperties());
        return p;
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: the tests log in to the real Kafka with the"
                    + " principals of infra.env. Run them with ./mlops test, or export the variables of"
                    + " .mlops/infra/infra.env of a running ./mlops up");
        }
        return value.strip();
    }
}
