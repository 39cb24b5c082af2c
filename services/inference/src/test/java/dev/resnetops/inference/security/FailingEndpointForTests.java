package dev.resnetops.inference.security;

import dev.resnetops.apisecurity.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test classes only: an endpoint that fails the way a bug would, with internals in its message. */
@Path("/test-only/failure")
public class FailingEndpointForTests {

    static final String INTERNAL_DETAIL = "model file /var/lib/resnetops/inference-cache/secret.onnx is corrupt";

    @RolesAllowed(Roles.VIEWER)
    @GET
    public String fail() {
        throw new IllegalStateException(INTERNAL_DETAIL);
    }
}
