package dev.resnetops.apisecurity;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Refuses to start an API that could verify no token: without a public key every request would be
 * refused, one by one, with nothing in the log saying why. Names the variable to set.
 */
@ApplicationScoped
public class VerificationKeyCheck {

    static final String LOCATION = "mp.jwt.verify.publickey.location";
    static final String INLINE = "mp.jwt.verify.publickey";

    private static final Logger LOG = Logger.getLogger(VerificationKeyCheck.class);

    void check(@Observes StartupEvent event, ApiSecurityConfig security) {
        Config config = ConfigProvider.getConfig();
        Optional<String> location = config.getOptionalValue(LOCATION, String.class).filter(s -> !s.isBlank());
        boolean inline = config.getOptionalValue(INLINE, String.class).filter(s -> !s.isBlank()).isPresent();
        if (location.isEmpty() && !inline) {
            throw new IllegalStateException("no public key to verify API tokens with: set MLOPS_JWT_PUBLIC_KEY to the"
                    + " PEM file of the platform's token-signing key (./mlops up writes it to"
                    + " $MLOPS_HOME/infra/keys/jwt-public.pem; docs/security.md)");
        }
        location.filter(VerificationKeyCheck::isLocalFile).map(VerificationKeyCheck::stripScheme)
                .filter(file -> !Files.isReadable(Path.of(file)))
                .ifPresent(file -> {
                    throw new IllegalStateException("the API token public key " + file + " (MLOPS_JWT_PUBLIC_KEY) does"
                            + " not exist or is not readable: ./mlops up creates it, or point the variable at the PEM"
                            + " file of the platform's token-signing key (docs/security.md)");
                });
        if (security.anonymousReads()) {
            LOG.warn("anonymous reads are ON (mlops.security.anonymous-reads=true): anyone who reaches the port can"
                    + " read datasets, jobs, workflows and models without a token");
        }
    }

    private static boolean isLocalFile(String location) {
        return location.startsWith("file:") || (!location.contains(":") && location.startsWith("/"));
    }

    private static String stripScheme(String location) {
        return location.startsWith("file:") ? location.substring("file:".length()) : location;
    }
}
