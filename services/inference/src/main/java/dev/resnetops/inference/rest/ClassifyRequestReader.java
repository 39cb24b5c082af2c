package dev.resnetops.inference.rest;

import dev.resnetops.inference.config.InferenceConfig;
import dev.resnetops.inference.service.ClassifyRequest;
import dev.resnetops.vision.data.ImageCodec;
import dev.resnetops.vision.data.ImageLimits;
import dev.resnetops.vision.data.ImageRefusedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.util.UUID;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Turns what {@code POST /classify} received (a raw body or a multipart upload, {@code ?top},
 * {@code X-Request-Id}) into a {@link ClassifyRequest}, or throws the {@link ClassifyRequestException}
 * that says what is wrong. The content type itself is JAX-RS's to check ({@code @Consumes}).
 */
@ApplicationScoped
public class ClassifyRequestReader {

    private final int maxImageBytes;
    private final int topK;
    /** The endpoint's own limits: the service's, with the pixel limit lowered to {@code mlops.classify.max-pixels}. */
    private final ImageLimits limits;

    @Inject
    ClassifyRequestReader(InferenceConfig config, ClassifyAccessConfig access) {
        this(config.maxImageBytes(), config.topK(), Math.min(config.maxPixels(), access.maxPixels()));
    }

    ClassifyRequestReader(int maxImageBytes, int topK, long maxPixels) {
        this.maxImageBytes = maxImageBytes;
        this.topK = topK;
        this.limits = ImageLimits.DEFAULT.atMostPixels(maxPixels);
    }

    /**
     * Checked in this order, so a client fixes the most basic problem first: an image is there, it is
     * within the size limit, its header declares no more pixels than this endpoint accepts, {@code top} is
     * within 1 to {@code top-k}.
     *
     * @param top       null for {@code top-k} labels
     * @param requestId null or blank for a made-up UUID
     */
    public ClassifyRequest fromBody(byte[] body, Integer top, String requestId) {
        if (body == null || body.length == 0) {
            throw ClassifyRequestException.emptyBody();
        }
        if (body.length > maxImageBytes) {
            throw ClassifyRequestException.tooLarge(body.length, maxImageBytes);
        }
        checkHeader(body);
        if (top != null && (top < 1 || top > topK)) {
            throw ClassifyRequestException.topOutOfRange(top, topK);
        }
        String id = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId;
        return new ClassifyRequest(id, body, top == null ? topK : top);
    }

    private void checkHeader(byte[] body) {
        try {
            ImageCodec.inspect(body, limits);
        } catch (ImageRefusedException e) {
            throw ClassifyRequestException.refusedImage(e.getMessage(), limits.maxPixels());
        } catch (IOException e) {
            // Not a readable image header: the model's decoder refuses it with its own, more precise reason.
        }
    }

    /** The multipart field {@code image}, then the same checks as {@link #fromBody}. */
    public ClassifyRequest fromForm(FileUpload image, Integer top, String requestId) {
        if (image == null) {
            throw ClassifyRequestException.noImageField();
        }
        // From the upload's recorded size, so an oversized file is refused without reading it into memory.
        if (image.size() > maxImageBytes) {
            throw ClassifyRequestException.tooLarge(image.size(), maxImageBytes);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(image.uploadedFile());
        } catch (IOException e) {
            throw ClassifyRequestException.unreadableUpload(e);
        }
        return fromBody(bytes, top, requestId);
    }
}
