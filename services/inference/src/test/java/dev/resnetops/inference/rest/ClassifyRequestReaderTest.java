package dev.resnetops.inference.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.inference.service.ClassifyRequest;
import dev.resnetops.testsupport.TestImages;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks {@code POST /classify} makes before a model sees the image, and the request they yield. */
class ClassifyRequestReaderTest {

    private static final int MAX_IMAGE_BYTES = 10;
    private static final int TOP_K = 5;

    private static final long CLASSIFY_MAX_PIXELS = 16_000_000;

    private final ClassifyRequestReader reader = new ClassifyRequestReader(MAX_IMAGE_BYTES, TOP_K, CLASSIFY_MAX_PIXELS);

    @TempDir
    Path folder;

    @Test
    void shouldKeepTheImageTopAndRequestIdOfAValidBody() {
        byte[] image = new byte[MAX_IMAGE_BYTES];

        ClassifyRequest request = reader.fromBody(image, 3, "req-1");

        assertThat(request.image()).isSameAs(image);
        assertThat(request.top()).isEqualTo(3);
        assertThat(request.requestId()).isEqualTo("req-1");
    }

    @Test
    void shouldDefaultTopToTopKAndMakeUpARequestIdWhenNoneOrABlankOneIsSent() {
        ClassifyRequest withoutId = reader.fromBody(new byte[1], null, null);
        ClassifyRequest blankId = reader.fromBody(new byte[1], null, "  ");

        assertThat(withoutId.top()).isEqualTo(TOP_K);
        assertThat(UUID.fromString(withoutId.requestId())).isNotNull();
        assertThat(UUID.fromString(blankId.requestId())).isNotNull();
        assertThat(blankId.requestId()).isNotEqualTo(withoutId.requestId());
    }

    @Test
    void anImageWithinThePlatformsPixelLimitButOverTheEndpointsIsRefusedFromItsHeader() throws Exception {
        // 5,000 x 5,000 = 25 MP: the stream and datasets take it (40 MP), POST /classify does not (16 MP).
        byte[] png = Files.readAllBytes(TestImages.pixelBombPng(folder.resolve("big.png"), 5_000, 5_000));
        ClassifyRequestReader classify = new ClassifyRequestReader(1 << 20, TOP_K, CLASSIFY_MAX_PIXELS);

        assertRefused(() -> classify.fromBody(png, null, null), Response.Status.BAD_REQUEST,
                "image is 5000x5000 = 25000000 pixels, over the limit of 16000000");
        assertThat(classify.fromBody(Files.readAllBytes(TestImages.pixelBombPng(folder.resolve("ok.png"), 4_000, 4_000)),
                null, null).image()).isNotEmpty();
    }

    @Test
    void shouldRefuseAMissingOrEmptyBodyBeforeLookingAtTop() {
        assertRefused(() -> reader.fromBody(null, 0, null), Response.Status.BAD_REQUEST, "empty body: ");
        assertRefused(() -> reader.fromBody(new byte[0], 0, null), Response.Status.BAD_REQUEST, "empty body: ");
    }

    @Test
    void shouldRefuseABodyOverTheLimitWith413BeforeLookingAtTop() {
        assertRefused(() -> reader.fromBody(new byte[MAX_IMAGE_BYTES + 1], 99, null),
                Response.Status.REQUEST_ENTITY_TOO_LARGE,
                "the image is 11 bytes, over the limit of 10 (mlops.inference.max-image-bytes)");
    }

    @Test
    void shouldRefuseTopOutsideOneToTopK() {
        assertRefused(() -> reader.fromBody(new byte[1], 0, null), Response.Status.BAD_REQUEST,
                "top must be between 1 and 5 (mlops.inference.top-k), found 0");
        assertRefused(() -> reader.fromBody(new byte[1], TOP_K + 1, null), Response.Status.BAD_REQUEST,
                "top must be between 1 and 5 (mlops.inference.top-k), found 6");
        assertThat(reader.fromBody(new byte[1], 1, null).top()).isEqualTo(1);
        assertThat(reader.fromBody(new byte[1], TOP_K, null).top()).isEqualTo(TOP_K);
    }

    @Test
    void shouldReadTheUploadedFileOfAForm() throws Exception {
        Path file = Files.write(folder.resolve("upload"), new byte[] {1, 2, 3});

        ClassifyRequest request = reader.fromForm(new Upload(file, 3), 2, "form-1");

        assertThat(request.image()).containsExactly(1, 2, 3);
        assertThat(request.top()).isEqualTo(2);
        assertThat(request.requestId()).isEqualTo("form-1");
    }

    @Test
    void shouldRefuseAFormWithoutTheImageField() {
        assertRefused(() -> reader.fromForm(null, null, null), Response.Status.BAD_REQUEST,
                "the multipart form has no 'image' field (curl -F image=@photo.png ...)");
    }

    @Test
    void shouldRefuseAnOversizedUploadFromItsSizeWithoutReadingIt() {
        // The file does not exist: reading it would fail with a 500, so a 413 shows it was never read.
        Upload oversized = new Upload(folder.resolve("never-written"), MAX_IMAGE_BYTES + 1);

        assertRefused(() -> reader.fromForm(oversized, null, null), Response.Status.REQUEST_ENTITY_TOO_LARGE,
                "the image is 11 bytes");
    }

    @Test
    void shouldAnswer500WhenTheUploadedFileCannotBeReadBack() {
        Path missing = folder.resolve("deleted");

        assertRefused(() -> reader.fromForm(new Upload(missing, 3), null, null), Response.Status.INTERNAL_SERVER_ERROR,
                "cannot read the uploaded file: " + missing);
    }

    @Test
    void shouldCheckAnUploadsBytesLikeABody() throws Exception {
        Path empty = Files.write(folder.resolve("empty"), new byte[0]);

        assertRefused(() -> reader.fromForm(new Upload(empty, 0), null, null), Response.Status.BAD_REQUEST,
                "empty body: ");
        Path ok = Files.write(folder.resolve("ok"), new byte[1]);
        assertRefused(() -> reader.fromForm(new Upload(ok, 1), 0, null), Response.Status.BAD_REQUEST,
                "top must be between 1 and 5");
    }

    private static void assertRefused(Runnable read, Response.Status status, String messageStart) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(ClassifyRequestException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).startsWith(messageStart);
        });
    }

    /** An uploaded form field as RESTEasy hands it over: a file on disk and the size it recorded. */
    private record Upload(Path filePath, long size) implements FileUpload {
        @Override
        public String name() {
            return "image";
        }

        @Override
        public String fileName() {
            return "photo.png";
        }

        @Override
        public String contentType() {
            return "image/png";
        }

        @Override
        public String charSet() {
            return null;
        }

        @Override
        public MultivaluedMap<String, String> getHeaders() {
            return new MultivaluedHashMap<>();
        }
    }
}
