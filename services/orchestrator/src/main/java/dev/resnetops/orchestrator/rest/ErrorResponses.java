package dev.resnetops.orchestrator.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.resnetops.contracts.api.ApiError;
import dev.resnetops.contracts.api.Problem;
import dev.resnetops.orchestrator.service.RequestRefused;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves the API as an {@link ApiError} body, never as a bare status or a stack trace. Failures
 * nobody planned for become a 500 with an error id ({@link dev.resnetops.apisecurity.InternalErrors}), 401 and
 * 403 say which role is needed ({@link dev.resnetops.apisecurity.AccessRefusals}).
 */
public class ErrorResponses {

    @ServerExceptionMapper
    public Response refused(RequestRefused e) {
        int status = switch (e.reason()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case KEY_REUSED -> 422;
            case UNAVAILABLE -> 503;
        };
        return error(status, e.getMessage(), e.problems());
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        String where = e instanceof MismatchedInputException m && !m.getPath().isEmpty()
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining("."))
                : "body";
        return error(400, "the request body is not valid JSON for this endpoint: " + e.getOriginalMessage(),
                List.of(new Problem(where, e.getOriginalMessage())));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // The JSON reader reports an unreadable body as a bare 400 with the parser's exception inside.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return unreadableJson(json);
            }
        }
        int status = e.getResponse().getStatus();
        return error(status, e.getMessage(), List.of());
    }

    static Response error(int status, String message, List<Problem> problems) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String name = known != null ? known.getReasonPhrase() : String.valueOf(status);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status, name, message, problems)).build();
    }
}
