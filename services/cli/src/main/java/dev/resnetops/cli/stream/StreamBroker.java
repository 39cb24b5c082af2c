package dev.resnetops.cli.stream;

import dev.resnetops.kafka.KafkaLogin;
import java.util.Map;

/**
 * The broker the stream talks to and the principal it logs in as: {@code stream-client}, which may send
 * images and read the answers and nothing else (docs/security.md).
 *
 * @param user named in errors, so a refused login says whose it was
 */
public record StreamBroker(String bootstrap, String user, KafkaLogin login) {

    /** The login's client settings, for the producer and the answer reader. */
    Map<String, String> loginProperties() {
        return login.clientProperties();
    }
}
