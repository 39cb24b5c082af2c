package dev.resnetops.inference.rest;

import dev.resnetops.contracts.api.ApiError;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A 415 that says which content types {@code POST /classify} takes, in the platform's error JSON. */
public class UnsupportedMediaTypeMapper {

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e, HttpHeaders headers) {
        MediaType sent = headers.getMediaType();
        return Response.status(415).type(MediaType.APPLICATION_JSON).entity(ApiError.of(415,
                "Unsupported Media Type", "content type " + (sent == null ? "(none)" : sent)
                        + " is not accepted: send the image as image/png, image/jpeg or application/octet-stream, "
                        + "or as the field 'image' of multipart/form-data")).build();
    }
}
