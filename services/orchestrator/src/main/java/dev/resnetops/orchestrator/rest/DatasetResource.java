package dev.resnetops.orchestrator.rest;

import dev.resnetops.apisecurity.Roles;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.api.RegisterDatasetRequest;
import dev.resnetops.orchestrator.config.OrchestratorConfig;
import dev.resnetops.orchestrator.events.LiveViews;
import dev.resnetops.orchestrator.service.DatasetService;
import dev.resnetops.orchestrator.service.Idempotency;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/datasets")
@SecurityRequirement(name = "bearer")
@Tag(name = "datasets", description = "Dataset sources and their ingested, versioned shards")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    private final DatasetService datasets;
    private final OrchestratorConfig config;
    private final LiveViews live;
    private final ServerPaths paths;

    DatasetResource(DatasetService datasets, OrchestratorConfig config, LiveViews live, ServerPaths paths) {
        this.datasets = datasets;
        this.config = config;
        this.live = live;
        this.paths = paths;
    }

    @RolesAllowed(Roles.SUBMITTER)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a dataset source and start its ingestion",
            description = "The source is a path on the server: an IDX folder, an ImageFolder tree (train/<class>/...),"
                    + " CIFAR batches, or a .zip/.tar/.tar.gz archive of one. Poll GET /datasets/{id} until READY.")
    @APIResponse(responseCode = "202", description = "Registered; ingestion runs in the background")
    @APIResponse(responseCode = "200", description = "The same Idempotency-Key was used before: the first registration")
    @APIResponse(responseCode = "400", description = "Invalid name or source; every problem is listed")
    @APIResponse(responseCode = "401", description = "Missing or wrong bearer token")
    public Response register(RegisterDatasetRequest request,
                             @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Idempotency.Outcome<DatasetView> outcome = datasets.register(request, Optional.ofNullable(idempotencyKey));
        return Response.status(outcome.replayed() ? 200 : 202)
                .location(URI.create("/datasets/" + outcome.value().id()))
                .entity(outcome.value()).build();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(summary = "List dataset registrations, newest first")
    public Page<DatasetView> list(@QueryParam("page") @DefaultValue("0") int page,
                                  @QueryParam("size") @DefaultValue("50") int size) {
        Paging paging = Paging.of(page, size, config.api().maxPageSize());
        return paths.shown(datasets.list(paging.page(), paging.size()));
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{id}")
    @Operation(summary = "A dataset: status, counts per split and class, normalisation, problems found")
    @APIResponse(responseCode = "404", description = "No such dataset")
    public DatasetView get(@PathParam("id") String id) {
        return paths.shown(datasets.get(Ids.parse(id, "dataset")));
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // reads PostgreSQL for the snapshot
    @Operation(summary = "A dataset's live events (server-sent events) until its ingestion ends",
            description = "Event 'dataset' (as GET /datasets/{id} returns it), then 'DatasetReady' or 'DatasetFailed'"
                    + " when ingestion ends, then 'dataset' again and the stream ends. A dataset that is READY or"
                    + " FAILED already gets its 'dataset' event only. 'heartbeat' every 15 s.")
    @APIResponse(responseCode = "200", description = "The stream")
    @APIResponse(responseCode = "404", description = "No such dataset")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        UUID dataset = Ids.parse(id, "dataset");
        datasets.get(dataset);
        return ServerSentEvents.of(live.dataset(dataset).map(paths.liveEventsForCaller()), sse);
    }
}
