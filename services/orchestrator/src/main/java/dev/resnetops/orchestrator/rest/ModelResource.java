package dev.resnetops.orchestrator.rest;

import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.model.ModelZoo;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/models")
@Tag(name = "models", description = "Model presets a job's config.model may name")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    /** A preset as the API lists it. */
    public record PresetView(String name, int depth, String stem, int defaultInputSize, String description) {
    }

    @GET
    @Path("/presets")
    @Operation(summary = "The model presets (resnet50, resnet50-paper, resnet50-d, ... and their -small variants)")
    public List<PresetView> presets() {
        return ModelZoo.presets().stream().map(ModelResource::view).toList();
    }

    private static PresetView view(ModelPreset p) {
        return new PresetView(p.name(), p.depth(), p.stem().name().toLowerCase(java.util.Locale.ROOT),
                p.defaultInputSize(), p.description());
    }
}
