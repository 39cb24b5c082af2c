package dev.resnetops.orchestrator.rest;

import dev.resnetops.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Mutating requests need {@code Authorization: Bearer <token>}; reads stay open so dashboards and the
 * CLI's list/show work without a secret. Health, metrics and OpenAPI live outside JAX-RS and are open.
 *
 * <p>A bean with a filter method rather than a {@code @Provider}: providers are created while the
 * application is built, before runtime configuration (the token) exists.
 */
@ApplicationScoped
public class BearerTokenFilter {

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String PREFIX = "Bearer ";

    private final OrchestratorConfig config;

    BearerTokenFilter(OrchestratorConfig config) {
        this.config = config;
    }

    /** Returns the 401 response for a request without a valid token, or null to let it through. */
    // Before resource matching: an unauthenticated request gets 401, not a 415 or 405 that would tell
    // it more about the API than it is allowed to know.
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION, preMatching = true)
    public Response authenticate(ContainerRequestContext request) {
        if (!config.api().authEnabled() || READ_METHODS.contains(request.getMethod())) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String message;
        if (header == null || header.isBlank()) {
            message = "this request changes state and needs 'Authorization: Bearer <token>' (the token is in"
                    + " .mlops/infra/api-token after ./mlops up, or in MLOPS_API_TOKEN)";
        } else if (!header.startsWith(PREFIX)) {
            message = "the Authorization header must be 'Bearer <token>'";
        } else if (!matches(header.substring(PREFIX.length()).trim())) {
            message = "the bearer token is not valid for this server";
        } else {
            return null;
        }
        return withChallenge(message);
    }

    private static Response withChallenge(String message) {
        return Response.fromResponse(ErrorResponses.error(401, message, List.of()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"resnetops\"").build();
    }

    private boolean matches(String presented) {
        String expected = config.api().token().orElse("");
        // Constant time: the comparison must not reveal how many leading characters were right.
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
