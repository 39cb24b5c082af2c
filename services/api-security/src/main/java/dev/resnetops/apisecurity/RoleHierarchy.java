package dev.resnetops.apisecurity;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Grants every role a token's role implies ({@link Roles}), and {@code viewer} to callers without a token
 * when anonymous reads are on. Quarkus applies augmentors to anonymous identities too, which is what lets
 * the option open {@code @RolesAllowed(viewer)} endpoints without a second kind of annotation.
 */
@ApplicationScoped
public class RoleHierarchy implements SecurityIdentityAugmentor {

    private final ApiSecurityConfig config;

    RoleHierarchy(ApiSecurityConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        Set<String> roles = identity.isAnonymous()
                ? (config.anonymousReads() ? Set.of(Roles.VIEWER) : Set.of())
                : Roles.withImplied(identity.getRoles());
        if (identity.getRoles().containsAll(roles)) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(roles).build());
    }
}
