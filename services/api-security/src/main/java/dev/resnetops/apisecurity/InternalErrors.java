package dev.resnetops.apisecurity;

import dev.resnetops.contracts.api.ApiError;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request that fails on the server gets a 500 with an error id, never the exception's text: that text
 * can carry file paths, SQL, hosts or a secret. The log has the stack trace under the same id, so a user
 * who reports the id lets an operator find it. Services map their known exceptions themselves; this
 * catches the rest.
 */
public class InternalErrors {

    public static final String ERROR_ID_HEADER = "X-Error-Id";

    private static final Logger LOG = Logger.getLogger(InternalErrors.class);

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        // A JAX-RS exception is an answer the framework chose (404, 405, ...): keep it.
        if (e instanceof WebApplicationException web) {
            return web.getResponse();
        }
        return respond(e);
    }

    /** Logs the failure under a new id and answers 500 with that id only. */
    public static Response respond(Throwable e) {
        return respond(e, "the request failed on the server");
    }

    /**
     * As {@link #respond(Throwable)}, saying what failed.
     *
     * @param summary what failed, in words safe to show anybody: never the exception's text
     */
    public static Response respond(Throwable e, String summary) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        LOG.errorf(e, "request failed, error id %s", id);
        Response.Status status = Response.Status.INTERNAL_SERVER_ERROR;
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header(ERROR_ID_HEADER, id)
                .entity(ApiError.of(status.getStatusCode(), status.getReasonPhrase(), "internal error, error id " + id
                        + ": " + summary + "; its log has the details under this id (quote it when reporting the"
                        + " problem)"))
                .build();
    }
}
