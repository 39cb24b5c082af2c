package dev.resnetops.apisecurity;

import dev.resnetops.contracts.api.ApiError;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * 401 and 403 as the platform's error JSON, saying which role the endpoint needs and how to get a token.
 * Only reachable because authentication is lazy ({@code quarkus.http.auth.proactive=false}): with proactive
 * authentication a refused token is answered before any JAX-RS mapper runs, with an empty body.
 */
public class AccessRefusals {

    private static final String CHALLENGE = "Bearer realm=\"resnetops\"";

    // Injected, not a mapper parameter: Quarkus REST does not pass the identity to exception mappers.
    private final SecurityIdentity identity;

    AccessRefusals(SecurityIdentity identity) {
        this.identity = identity;
    }

    @ServerExceptionMapper
    public Response noToken(UnauthorizedException e, SimpleResourceInfo resource) {
        String role = role(resource);
        return unauthorized(CHALLENGE, "this request needs a token with the role '" + role + "' and none was sent; "
                + Roles.howToGetToken(role));
    }

    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e, SimpleResourceInfo resource) {
        String role = role(resource);
        String why = expired(e) ? "it has expired" : "it is malformed, not yet valid, from another issuer or not signed"
                + " by this platform's key";
        return unauthorized(CHALLENGE + ", error=\"invalid_token\"", "the bearer token was refused: " + why + "; this"
                + " request needs the role '" + role + "': " + Roles.howToGetToken(role));
    }

    @ServerExceptionMapper
    public Response tooLowARole(ForbiddenException e, SimpleResourceInfo resource) {
        Optional<String> needed = RequiredRole.of(resource);
        String message = needed.map(role -> "this request needs the role '" + role + "', and the token of '"
                        + identity.getPrincipal().getName() + "' has " + identity.getRoles() + "; "
                        + Roles.howToGetToken(role))
                .orElse("this endpoint declares no role, so it is closed to everyone (a server bug: please report it)");
        return error(Response.Status.FORBIDDEN, message).build();
    }

    private static String role(SimpleResourceInfo resource) {
        return RequiredRole.of(resource).orElse(Roles.VIEWER);
    }

    private static boolean expired(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("expiration time")) {
                return true;
            }
        }
        return false;
    }

    private static Response unauthorized(String challenge, String message) {
        return error(Response.Status.UNAUTHORIZED, message).header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }

    private static Response.ResponseBuilder error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of(status.getStatusCode(), status.getReasonPhrase(), message));
    }
}
