package dev.resnetops.inference.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.apisecurity.InternalErrors;
import dev.resnetops.contracts.api.ApiError;
import dev.resnetops.inference.model.NoModelException;
import dev.resnetops.inference.service.ClassificationFailedException;
import dev.resnetops.inference.service.ClassifyBusyException;
import dev.resnetops.inference.service.UnclassifiableImageException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Each way {@code POST /classify} fails, as the status, headers and error JSON a client gets. */
class ClassifyErrorMapperTest {

    private final ClassifyErrorMapper mapper = new ClassifyErrorMapper();

    @Test
    void shouldAnswerARefusedRequestWithItsStatusAndMessage() {
        Response response = mapper.refused(ClassifyRequestException.tooLarge(11, 10));

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
        assertThat(response.getEntity()).isEqualTo(ApiError.of(413, "Request Entity Too Large",
                "the image is 11 bytes, over the limit of 10 (mlops.inference.max-image-bytes)"));
    }

    @Test
    void shouldAnswerAnUnreadableUploadWith500() {
        Response response = mapper.refused(ClassifyRequestException.unreadableUpload(new IOException("gone")));

        assertThat(response.getEntity()).isEqualTo(ApiError.of(500, "Internal Server Error",
                "cannot read the uploaded file: gone"));
    }

    @Test
    void shouldAnswerAnImageTheDecoderRefusedWith400AndItsReason() {
        Response response = mapper.unclassifiable(new UnclassifiableImageException("not a JPEG or PNG"));

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
        assertThat(response.getEntity()).isEqualTo(ApiError.of(400, "Bad Request",
                "cannot classify the image: not a JPEG or PNG"));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileNoModelIsLoaded() {
        Response response = mapper.noModel(new NoModelException("no version has the alias 'champion' yet"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(response.getEntity()).isEqualTo(ApiError.of(503, "Service Unavailable",
                "no model loaded: no version has the alias 'champion' yet"));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheBatchingQueueIsFull() {
        Response response = mapper.busy(ClassifyBusyException.queueFull(256));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(response.getEntity()).isEqualTo(ApiError.of(503, "Service Unavailable",
                "the classification queue is full (256 images waiting, mlops.inference.rest-batching.max-queued):"
                        + " retry shortly, or send many images through the Kafka stream (./mlops stream), which has"
                        + " back-pressure"));
    }

    @Test
    void shouldAnswer500SayingTheBatchFailedWithAnErrorIdButNotTheCause() {
        Response response = mapper.failed(ClassificationFailedException.ofBatch(3,
                new IllegalStateException("ONNX Runtime failed on /var/lib/resnetops/model.onnx")));

        assertThat(response.getStatus()).isEqualTo(500);
        String id = response.getHeaderString(InternalErrors.ERROR_ID_HEADER);
        assertThat(id).isNotBlank();
        assertThat(response.getEntity()).isEqualTo(ApiError.of(500, "Internal Server Error", "internal error, error id "
                + id + ": the model failed on a batch of 3 images (this one among them); send the image again; its log"
                + " has the details under this id (quote it when reporting the problem)"));
    }
}
