package dev.resnetops.inference.rest;

import jakarta.ws.rs.core.Response;
import java.io.IOException;

/**
 * Why a {@code POST /classify} request stops before any model sees it, with the status to answer. All
 * but one are the client's to fix (400, 413); an uploaded file the server cannot read back is a 500.
 */
public final class ClassifyRequestException extends RuntimeException {

    private final Response.Status status;

    private ClassifyRequestException(Response.Status status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public Response.Status status() {
        return status;
    }

    static ClassifyRequestException emptyBody() {
        return new ClassifyRequestException(Response.Status.BAD_REQUEST, "empty body: send the JPEG or PNG bytes "
                + "(curl --data-binary @photo.png -H 'Content-Type: image/png' ...)", null);
    }

    static ClassifyRequestException noImageField() {
        return new ClassifyRequestException(Response.Status.BAD_REQUEST, "the multipart form has no 'image' field "
                + "(curl -F image=@photo.png ...)", null);
    }

    static ClassifyRequestException tooLarge(long size, int maxImageBytes) {
        return new ClassifyRequestException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "the image is " + size
                + " bytes, over the limit of " + maxImageBytes + " (mlops.inference.max-image-bytes)", null);
    }

    static ClassifyRequestException refusedImage(String reason, long maxPixels) {
        return new ClassifyRequestException(Response.Status.BAD_REQUEST, reason + " (POST /classify accepts up to "
                + maxPixels + " pixels, mlops.classify.max-pixels; the Kafka image stream takes larger images)", null);
    }

    static ClassifyRequestException topOutOfRange(int top, int topK) {
        return new ClassifyRequestException(Response.Status.BAD_REQUEST, "top must be between 1 and " + topK
                + " (mlops.inference.top-k), found " + top, null);
    }

    static ClassifyRequestException unreadableUpload(IOException e) {
        return new ClassifyRequestException(Response.Status.INTERNAL_SERVER_ERROR,
                "cannot read the uploaded file: " + e.getMessage(), e);
    }
}
