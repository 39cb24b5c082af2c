package dev.resnetops.orchestrator.rest;

import dev.resnetops.apisecurity.Roles;
import dev.resnetops.contracts.api.WeightsView;
import dev.resnetops.orchestrator.service.WeightsService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/weights")
@SecurityRequirement(name = "bearer")
@Tag(name = "weights", description = "Pretrained weights files (torchvision, timm) that jobs start from")
@Produces(MediaType.APPLICATION_JSON)
public class WeightsResource {

    private final WeightsService weights;

    WeightsResource(WeightsService weights) {
        this.weights = weights;
    }

    @RolesAllowed(Roles.SUBMITTER)
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Upload a weights file under a name",
            description = "The body is the file: safetensors (timm, model hubs) or a torch.save .pth state dict"
                    + " (torchvision). It is read completely before it is kept: a truncated or corrupt file, or a"
                    + " pickle that builds anything but tensors, is refused (400) and nothing is stored. A job starts"
                    + " from it with config.init = \"weights:<name>\". A name keeps its file: the same bytes again"
                    + " answer 200, other bytes 409.")
    @APIResponse(responseCode = "201", description = "Stored")
    @APIResponse(responseCode = "200", description = "The same file was already stored under this name")
    @APIResponse(responseCode = "400", description = "Not a usable weights file, an empty body or a bad name; the reason is given")
    @APIResponse(responseCode = "409", description = "The name holds another file")
    public Response upload(@PathParam("name") String name, InputStream body) {
        WeightsService.Uploaded uploaded = weights.upload(name, body);
        return Response.status(uploaded.created() ? 201 : 200).location(URI.create("/weights/" + name))
                .entity(uploaded.weights()).build();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(summary = "Uploaded weights files, newest first")
    public List<WeightsView> list() {
        return weights.list();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{name}")
    @Operation(summary = "One uploaded weights file: format, SHA-256, tensors, what the reader noticed")
    @APIResponse(responseCode = "404", description = "No such file")
    public WeightsView get(@PathParam("name") String name) {
        return weights.get(name);
    }
}
