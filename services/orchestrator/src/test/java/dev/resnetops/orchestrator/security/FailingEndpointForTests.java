package dev.resnetops.orchestrator.security;

import dev.resnetops.apisecurity.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test classes only: an endpoint that fails the way a bug would, with internals in its message. */
@Path("/test-only/failure")
public class FailingEndpointForTests {

    static final String INTERNAL_DETAIL = "connection to jdbc:postgresql://10.0.0.7/resnetops failed reading /srv/secret/shards";

    @RolesAllowed(Roles.VIEWER)
    @GET
    public String fail() {
        throw new IllegalStateException(INTERNAL_DETAIL);
    }
}
