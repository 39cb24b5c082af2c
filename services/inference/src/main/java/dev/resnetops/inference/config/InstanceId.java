package dev.resnetops.inference.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This instance's name (see {@link InferenceConfig#instanceId()}): the configured one, else host name
 * and HTTP port, which is unique on a machine and the same after a restart.
 */
@ApplicationScoped
public class InstanceId {

    private final String value;

    InstanceId(InferenceConfig config, @ConfigProperty(name = "quarkus.http.port") int port) {
        this.value = config.instanceId().filter(s -> !s.isBlank()).orElseGet(() -> host() + "-"
                // Port 0 (tests) is a random port: no stable name exists, so take a unique one.
                + (port == 0 ? UUID.randomUUID().toString().substring(0, 8) : Integer.toString(port)));
    }

    public String value() {
        return value;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
