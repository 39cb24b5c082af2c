package dev.resnetops.inference.rest;

import dev.resnetops.contracts.api.ApiError;
import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.inference.config.InferenceConfig;
import dev.resnetops.inference.model.ModelHolder;
import dev.resnetops.inference.model.ModelLease;
import dev.resnetops.inference.model.NoModelException;
import dev.resnetops.inference.observability.InferenceMetrics;
import dev.resnetops.onnx.runtime.ImageInput;
import dev.resnetops.onnx.runtime.ImageResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * {@code POST /classify}: one JPEG or PNG image, as the raw body or as the {@code image} field of a
 * multipart form, answered with the same {@link Prediction} the stream produces. Errors are
 * {@link ApiError}s: 400 for an image that cannot be decoded (the reason says why), 413 over the size
 * limit, 503 while no model is loaded.
 */
@Path("/classify")
@Produces(MediaType.APPLICATION_JSON)
public class ClassifyResource {

    static final String REQUEST_ID_HEADER = "X-Request-Id";

    private final ModelHolder models;
    private final InferenceConfig config;
    private final InferenceMetrics metrics;

    ClassifyResource(ModelHolder models, InferenceConfig config, InferenceMetrics metrics) {
        this.models = models;
        this.config = config;
        this.metrics = metrics;
    }

    @POST
    @Consumes({"image/png", "image/jpeg", MediaType.APPLICATION_OCTET_STREAM})
    public Response classify(byte[] body, @QueryParam("top") Integer top,
                             @HeaderParam(REQUEST_ID_HEADER) String requestId) {
        return answer(body, top, requestId);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response classifyForm(@RestForm("image") FileUpload image, @QueryParam("top") Integer top,
                                 @HeaderParam(REQUEST_ID_HEADER) String requestId) {
        if (image == null) {
            return error(Response.Status.BAD_REQUEST, "the multipart form has no 'image' field "
                    + "(curl -F image=@photo.png ...)");
        }
        if (image.size() > config.maxImageBytes()) {
            return tooLarge(image.size());
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(image.uploadedFile());
        } catch (IOException e) {
            return error(Response.Status.INTERNAL_SERVER_ERROR, "cannot read the uploaded file: " + e.getMessage());
        }
        return answer(bytes, top, requestId);
    }

    private Response answer(byte[] body, Integer top, String requestId) {
        long received = System.nanoTime();
        if (body == null || body.length == 0) {
            return error(Response.Status.BAD_REQUEST, "empty body: send the JPEG or PNG bytes "
                    + "(curl --data-binary @photo.png -H 'Content-Type: image/png' ...)");
        }
        if (body.length > config.maxImageBytes()) {
            return tooLarge(body.length);
        }
        if (top != null && (top < 1 || top > config.topK())) {
            return error(Response.Status.BAD_REQUEST, "top must be between 1 and " + config.topK()
                    + " (mlops.inference.top-k), found " + top);
        }
        String id = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId;
        try (ModelLease lease = models.acquire()) {
            long start = System.nanoTime();
            ImageResult result = lease.model().classifier().classify(new ImageInput.Encoded(id, body));
            Duration modelTime = Duration.ofNanos(System.nanoTime() - start);
            if (result instanceof ImageResult.Rejected rejected) {
                metrics.rejected(InferenceMetrics.Source.REST);
                return error(Response.Status.BAD_REQUEST, "cannot classify the image: " + rejected.error());
            }
            Prediction prediction = lease.model().prediction((ImageResult.Classified) result,
                    top == null ? config.topK() : top, modelTime.toNanos() / 1e6, 1, 0, Instant.now());
            metrics.classified(InferenceMetrics.Source.REST, 1);
            metrics.restRequest(modelTime, Duration.ofNanos(System.nanoTime() - received));
            return Response.ok(prediction).build();
        } catch (NoModelException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                    .entity(ApiError.of(503, "Service Unavailable", "no model loaded: " + e.getMessage())).build();
        }
    }

    private Response tooLarge(long size) {
        return error(Response.Status.REQUEST_ENTITY_TOO_LARGE, "the image is " + size + " bytes, over the limit of "
                + config.maxImageBytes() + " (mlops.inference.max-image-bytes)");
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ApiError.of(status.getStatusCode(), status.getReasonPhrase(), message)).build();
    }
}
