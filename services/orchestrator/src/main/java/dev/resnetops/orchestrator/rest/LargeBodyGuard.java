package dev.resnetops.orchestrator.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a large body before it is read, except on the weights upload. The HTTP limit had to grow to
 * a weights file's size (quarkus.http.limits.max-body-size), which the upload streams to disk; every other
 * request is a small JSON document that is read into memory whole, so it keeps a JSON-sized limit.
 */
public class LargeBodyGuard {

    /** Far above any job, dataset or workflow request (a few KB). */
    static final long MAX_JSON_BYTES = 1 << 20;

    @ServerRequestFilter(preMatching = true)
    public Response refuseLargeJson(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().startsWith("/weights/")) {
            return null;
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return ErrorResponses.error(400, "Content-Length is not a number: " + length, List.of());
        }
        if (declared > MAX_JSON_BYTES) {
            return ErrorResponses.error(413, "the request body is " + declared + " bytes; requests other than a"
                    + " weights upload (PUT /weights/{name}) are at most " + MAX_JSON_BYTES + " bytes", List.of());
        }
        return null;
    }
}
