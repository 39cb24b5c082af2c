package dev.resnetops.apisecurity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the API's access checks ({@code mlops.security.*}, e.g. {@code MLOPS_SECURITY_ANONYMOUS_READS}). */
@ConfigMapping(prefix = "mlops.security")
public interface ApiSecurityConfig {

    /**
     * Callers without a token get the {@code viewer} role: reads open for dashboards on a trusted network.
     * Off by default, since reads show what is trained on which data.
     */
    @WithDefault("false")
    boolean anonymousReads();
}
