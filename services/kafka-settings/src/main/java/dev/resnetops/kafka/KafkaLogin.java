package dev.resnetops.kafka;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.scram.ScramLoginModule;

/**
 * How a client proves who it is to the broker: the security protocol and, for SASL, the mechanism and the
 * login module with the principal's name and password. The platform's brokers take SASL/SCRAM-SHA-512
 * (docs/security.md); every client of the services, the tests and the CLI gets its settings from here, so
 * the login is quoted one way everywhere.
 */
public final class KafkaLogin {

    public static final String DEFAULT_MECHANISM = "SCRAM-SHA-512";

    private final String protocol;
    private final String mechanism;
    private final String jaasConfig;

    private KafkaLogin(String protocol, String mechanism, String jaasConfig) {
        this.protocol = protocol;
        this.mechanism = mechanism;
        this.jaasConfig = jaasConfig;
    }

    /** SASL/SCRAM-SHA-512 over plaintext as {@code username}: the platform's brokers on loopback and in a cluster. */
    public static KafkaLogin scram(String username, String password) {
        return of(Optional.empty(), DEFAULT_MECHANISM, Optional.of(username), Optional.of(password), Optional.empty());
    }

    /** From {@link KafkaConfig}. */
    public static KafkaLogin of(KafkaConfig config) {
        return of(config.securityProtocol(), config.sasl().mechanism(), config.sasl().username(),
                config.sasl().password(), config.sasl().jaasConfig());
    }

    /**
     * @param protocol   unset: SASL_PLAINTEXT when there is a user (or an explicit login), else PLAINTEXT
     * @param jaasConfig an explicit login module line; wins over username and password
     * @throws IllegalArgumentException when the parts do not make a login (a user without password, SASL without user)
     */
    public static KafkaLogin of(Optional<String> protocol, String mechanism, Optional<String> username,
                                Optional<String> password, Optional<String> jaasConfig) {
        Optional<String> user = username.filter(u -> !u.isBlank()).map(String::strip);
        Optional<String> explicit = jaasConfig.filter(j -> !j.isBlank());
        if (user.isPresent() && password.filter(p -> !p.isEmpty()).isEmpty() && explicit.isEmpty()) {
            throw new IllegalArgumentException("the Kafka user '" + user.get() + "' has no password: set"
                    + " MLOPS_KAFKA_PASSWORD (kafka.sasl.password) too; ./mlops up writes both per principal");
        }
        boolean login = user.isPresent() || explicit.isPresent();
        String resolved = protocol.filter(p -> !p.isBlank()).map(p -> p.strip().toUpperCase(Locale.ROOT))
                .orElse(login ? "SASL_PLAINTEXT" : "PLAINTEXT");
        if (resolved.startsWith("SASL_") && !login) {
            throw new IllegalArgumentException("Kafka's security.protocol is " + resolved + ", which needs a login,"
                    + " but no Kafka user is set: set MLOPS_KAFKA_USER and MLOPS_KAFKA_PASSWORD (kafka.sasl.username,"
                    + " kafka.sasl.password); ./mlops up writes them for every principal (docs/security.md)");
        }
        if (!resolved.startsWith("SASL_")) {
            return new KafkaLogin(resolved, null, null);
        }
        return new KafkaLogin(resolved, mechanism, explicit.orElseGet(() -> jaasConfig(mechanism, user.get(),
                password.get())));
    }

    /** The security settings to add to a client's properties. */
    public Map<String, String> clientProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (jaasConfig != null) {
            p.put(SaslConfigs.SASL_MECHANISM, mechanism);
            p.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig);
        }
        return p;
    }

    public String protocol() {
        return protocol;
    }

    /**
     * The login module line. Kafka parses it with a {@link java.io.StreamTokenizer}, in whose quoted strings a
     * backslash escapes the next character: without escaping, a password with a {@code "} would end the value
     * early and the rest would be read as options.
     */
    static String jaasConfig(String mechanism, String username, String password) {
        if (!mechanism.toUpperCase(Locale.ROOT).startsWith("SCRAM-")) {
            throw new IllegalArgumentException("Kafka SASL mechanism " + mechanism + " needs an explicit"
                    + " kafka.sasl.jaas.config; a user and password make a SCRAM-SHA-256 or SCRAM-SHA-512 login only");
        }
        return ScramLoginModule.class.getName() + " required username=\"" + quoted(username) + "\" password=\""
                + quoted(password) + "\";";
    }

    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        // Never the login line: it holds the password.
        return "KafkaLogin[" + protocol + (mechanism != null ? ", " + mechanism : "") + "]";
    }
}
