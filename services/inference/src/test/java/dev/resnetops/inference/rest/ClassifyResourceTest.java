package dev.resnetops.inference.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract of {@code POST /classify} on the real broker and MLflow, for a registered model that
 * has no version yet: every refusal a client can cause (status, JSON body, message) and the 503 with
 * {@code Retry-After} that a request passing all checks gets while no model is loaded. Answers with a
 * real model are InferenceSystemTest's (a model needs training, and training needs libtorch, which this
 * module must not have).
 */
@QuarkusTest
@TestProfile(ClassifyResourceTest.NoModelYet.class)
class ClassifyResourceTest {

    private static final int MAX_IMAGE_BYTES = 1000;
    /** Not a real image: every check here comes before decoding, and no model is there to decode it. */
    private static final byte[] SOME_BYTES = new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

    /** A model name nobody registers, the stream off (REST only) and a small size limit. */
    public static class NoModelYet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mlops.inference.model", "inference-rest-test-" + UUID.randomUUID(),
                    "mlops.inference.stream.enabled", "false",
                    "mlops.inference.max-image-bytes", Integer.toString(MAX_IMAGE_BYTES));
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileNoModelIsLoaded() {
        assertError(given().contentType("image/png").body(SOME_BYTES).post("/classify").then(),
                503, "Service Unavailable")
                .header("Retry-After", "5")
                .body("message", startsWith("no model loaded: "));
    }

    @Test
    void shouldAnswer503ForAValidMultipartFormWhileNoModelIsLoaded() {
        assertError(given().multiPart("image", "shirt.png", SOME_BYTES, "image/png").post("/classify").then(),
                503, "Service Unavailable")
                .header("Retry-After", "5");
    }

    @Test
    void shouldRefuseAnEmptyBodyWith400BeforeLookingAtTop() {
        assertError(given().contentType("image/png").queryParam("top", 0).post("/classify").then(),
                400, "Bad Request")
                .body("message", equalTo("empty body: send the JPEG or PNG bytes "
                        + "(curl --data-binary @photo.png -H 'Content-Type: image/png' ...)"));
    }

    @Test
    void shouldRefuseAnImageOverTheLimitWith413BeforeLookingAtTop() {
        assertError(given().contentType("application/octet-stream").queryParam("top", 99)
                .body(new byte[MAX_IMAGE_BYTES + 1]).post("/classify").then(), 413, "Request Entity Too Large")
                .body("message", equalTo("the image is 1001 bytes, over the limit of 1000 (mlops.inference.max-image-bytes)"));
    }

    @Test
    void shouldAcceptAnImageOfExactlyTheLimit() {
        given().contentType("image/jpeg").body(new byte[MAX_IMAGE_BYTES]).post("/classify").then().statusCode(503);
    }

    @Test
    void shouldRefuseTopOutsideOneToTopKWith400() {
        for (int top : new int[] {0, 6, -1}) {
            assertError(given().contentType("image/png").queryParam("top", top).body(SOME_BYTES).post("/classify")
                    .then(), 400, "Bad Request")
                    .body("message", equalTo("top must be between 1 and 5 (mlops.inference.top-k), found " + top));
        }
    }

    @Test
    void shouldRefuseAMultipartFormWithoutTheImageFieldWith400() {
        assertError(given().multiPart("photo", "shirt.png", SOME_BYTES, "image/png").post("/classify").then(),
                400, "Bad Request")
                .body("message", equalTo("the multipart form has no 'image' field (curl -F image=@photo.png ...)"));
    }

    @Test
    void shouldRefuseAMultipartImageOverTheLimitWith413() {
        assertError(given().multiPart("image", "big.png", new byte[MAX_IMAGE_BYTES + 1], "image/png")
                .post("/classify").then(), 413, "Request Entity Too Large")
                .body("message", equalTo("the image is 1001 bytes, over the limit of 1000 (mlops.inference.max-image-bytes)"));
    }

    @Test
    void shouldRefuseAnEmptyMultipartImageWith400() {
        assertError(given().multiPart("image", "empty.png", new byte[0], "image/png").post("/classify").then(),
                400, "Bad Request")
                .body("message", startsWith("empty body: "));
    }

    @Test
    void shouldRefuseOtherContentTypesWith415NamingTheAcceptedOnes() {
        assertError(given().contentType("text/plain").body("hello").post("/classify").then(),
                415, "Unsupported Media Type")
                .body("message", startsWith("content type text/plain"))
                .body("message", containsString("is not accepted: send the image as image/png,"
                        + " image/jpeg or application/octet-stream, or as the field 'image' of multipart/form-data"));
    }

    /**
     * The platform's error JSON: status, reason phrase, a message, no problems. The 503's content type is
     * negotiated from the resource's {@code @Produces}, as a 200's is, and so carries the charset; the
     * refusals name theirs. Both are pinned because clients see them.
     */
    private static ValidatableResponse assertError(ValidatableResponse response, int status, String error) {
        return response.statusCode(status)
                .header("Content-Type", status == 503 ? "application/json;charset=UTF-8" : "application/json")
                .body("status", equalTo(status))
                .body("error", equalTo(error))
                .body("problems.size()", equalTo(0));
    }
}
