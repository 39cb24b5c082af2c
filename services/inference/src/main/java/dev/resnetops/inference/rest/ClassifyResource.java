package dev.resnetops.inference.rest;

import dev.resnetops.contracts.api.ApiError;
import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.inference.service.ClassificationService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * {@code POST /classify}: one JPEG or PNG image, as the raw body or as the {@code image} field of a
 * multipart form, answered with the same {@link Prediction} the stream produces. The
 * {@link ClassifyRequestReader} checks the request, the {@link ClassificationService} classifies it, and
 * {@link ClassifyErrorMapper} turns what goes wrong into {@link ApiError}s: 400 for a bad request or an
 * image that cannot be decoded (the reason says why), 413 over the size limit, 415 for another content
 * type, 503 while no model is loaded or while the batching queue is full, 500 when the model run of the
 * image's batch failed. Concurrent requests share model runs (dynamic batching, {@link ClassificationService}).
 * Callers need a token with the configured role ({@code mlops.classify.role}, default viewer) and are rate
 * limited each on their own ({@link CallerRateLimiter}: 429 with Retry-After), before their image is queued.
 */
@Path("/classify")
@Produces(MediaType.APPLICATION_JSON)
public class ClassifyResource {

    static final String REQUEST_ID_HEADER = "X-Request-Id";

    private final ClassifyRequestReader requests;
    private final ClassificationService classification;
    private final CallerRateLimiter rateLimiter;

    ClassifyResource(ClassifyRequestReader requests, ClassificationService classification,
                     CallerRateLimiter rateLimiter) {
        this.requests = requests;
        this.classification = classification;
        this.rateLimiter = rateLimiter;
    }

    @RolesAllowed("${mlops.classify.role:viewer}")
    @POST
    @Consumes({"image/png", "image/jpeg", MediaType.APPLICATION_OCTET_STREAM})
    public Prediction classify(byte[] body, @QueryParam("top") Integer top,
                               @HeaderParam(REQUEST_ID_HEADER) String requestId) {
        rateLimiter.admitCurrentCaller();
        return classification.classify(requests.fromBody(body, top, requestId));
    }

    @RolesAllowed("${mlops.classify.role:viewer}")
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Prediction classifyForm(@RestForm("image") FileUpload image, @QueryParam("top") Integer top,
                                   @HeaderParam(REQUEST_ID_HEADER) String requestId) {
        rateLimiter.admitCurrentCaller();
        return classification.classify(requests.fromForm(image, top, requestId));
    }
}
