package dev.resnetops.orchestrator.rest;

import dev.resnetops.apisecurity.Roles;
import dev.resnetops.contracts.api.ModelVersionView;
import dev.resnetops.contracts.api.PromoteRequest;
import dev.resnetops.orchestrator.service.ModelService;
import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.model.ModelZoo;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/models")
@SecurityRequirement(name = "bearer")
@Tag(name = "models", description = "Model presets, and registered model versions (one registered model per dataset) with their aliases")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    /** A preset as the API lists it. */
    public record PresetView(String name, int depth, String stem, int defaultInputSize, String description) {
        static PresetView of(ModelPreset p) {
            return new PresetView(p.name(), p.depth(), p.stem().name().toLowerCase(java.util.Locale.ROOT),
                    p.defaultInputSize(), p.description());
        }
    }

    private final ModelService models;
    private final ServerPaths paths;

    ModelResource(ModelService models, ServerPaths paths) {
        this.models = models;
        this.paths = paths;
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(summary = "Every registered model version with its test top-1/top-5, parity verdict and aliases")
    public List<ModelVersionView> list() {
        return paths.shownVersions(models.versions(Optional.empty()));
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/presets")
    @Operation(summary = "The model presets a job's config.model may name (resnet50, resnet50-paper, resnet50-d, ...)")
    public List<PresetView> presets() {
        return ModelZoo.presets().stream().map(PresetView::of).toList();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{name}")
    @Operation(summary = "The versions of one registered model, newest first")
    @APIResponse(responseCode = "404", description = "No such registered model")
    public List<ModelVersionView> versions(@PathParam("name") String name) {
        return paths.shownVersions(models.versions(Optional.of(name)));
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("/{name}/promote")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move the champion alias to a version (default: the candidate)",
            description = "Refused (409) for a version whose ONNX export failed the parity gate. Inference"
                    + " services serving the champion switch to it.")
    @APIResponse(responseCode = "200", description = "The version, now champion")
    @APIResponse(responseCode = "404", description = "No such model or version, or no candidate")
    @APIResponse(responseCode = "409", description = "The version failed the parity gate")
    @APIResponse(responseCode = "503", description = "MLflow is unreachable; nothing changed")
    public ModelVersionView promote(@PathParam("name") String name, PromoteRequest request) {
        return models.promote(name, request == null ? null : request.version());
    }
}
