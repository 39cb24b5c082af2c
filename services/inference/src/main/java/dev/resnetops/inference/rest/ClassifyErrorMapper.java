package dev.resnetops.inference.rest;

import dev.resnetops.apisecurity.InternalErrors;
import dev.resnetops.contracts.api.ApiError;
import dev.resnetops.inference.model.NoModelException;
import dev.resnetops.inference.service.ClassificationFailedException;
import dev.resnetops.inference.service.ClassifyBusyException;
import dev.resnetops.inference.service.UnclassifiableImageException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** What {@code POST /classify} answers when it cannot classify, each as the platform's error JSON ({@link ApiError}). */
public class ClassifyErrorMapper {

    /** Seconds a client is told to wait while no model is loaded. */
    static final String RETRY_AFTER_SECONDS = "5";
    /** Seconds a client is told to wait when the batching queue is full: it empties within a second or so. */
    static final String BUSY_RETRY_AFTER_SECONDS = "1";

    @ServerExceptionMapper
    public Response refused(ClassifyRequestException e) {
        return error(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unclassifiable(UnclassifiableImageException e) {
        return error(Response.Status.BAD_REQUEST, "cannot classify the image: " + e.getMessage());
    }

    /** 503, not 404 or 500: the request is fine and will succeed once a version is promoted and loaded. */
    @ServerExceptionMapper
    public Response noModel(NoModelException e) {
        Response.Status status = Response.Status.SERVICE_UNAVAILABLE;
        // No type set: it comes from the resource's @Produces, as it did before the mapper existed
        // (application/json;charset=UTF-8, pinned by ClassifyResourceTest).
        return Response.status(status).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .entity(ApiError.of(status.getStatusCode(), status.getReasonPhrase(), "no model loaded: " + e.getMessage()))
                .build();
    }

    /** 503, as for no model: the request is fine, the service cannot take it now (queue full, shutting down). */
    @ServerExceptionMapper
    public Response busy(ClassifyBusyException e) {
        Response.Status status = Response.Status.SERVICE_UNAVAILABLE;
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, BUSY_RETRY_AFTER_SECONDS)
                .entity(ApiError.of(status.getStatusCode(), status.getReasonPhrase(), e.getMessage())).build();
    }

    /**
     * 500 for the callers of a batch whose model run failed, saying so; like every 500 of the platform it
     * shows an error id, not the cause (ONNX Runtime's text names files of the server), which the log has.
     */
    @ServerExceptionMapper
    public Response failed(ClassificationFailedException e) {
        return InternalErrors.respond(e, e.getMessage());
    }

    /** 429 with the seconds until the caller's next request would be admitted. */
    @ServerExceptionMapper
    public Response rateLimited(RateLimitedException e) {
        Response.Status status = Response.Status.TOO_MANY_REQUESTS;
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfterSeconds())))
                .entity(ApiError.of(status.getStatusCode(), status.getReasonPhrase(), e.getMessage())).build();
    }

    /** A 415 that says which content types {@code POST /classify} takes. */
    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e, HttpHeaders headers) {
        MediaType sent = headers.getMediaType();
        return error(Response.Status.UNSUPPORTED_MEDIA_TYPE, "content type " + (sent == null ? "(none)" : sent)
                + " is not accepted: send the image as image/png, image/jpeg or application/octet-stream, "
                + "or as the field 'image' of multipart/form-data");
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ApiError.of(status.getStatusCode(), status.getReasonPhrase(), message)).build();
    }
}
