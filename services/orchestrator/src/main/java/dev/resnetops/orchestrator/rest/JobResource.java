package dev.resnetops.orchestrator.rest;

import dev.resnetops.apisecurity.Roles;
import dev.resnetops.contracts.api.EpochMetricsView;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.api.SubmitJobRequest;
import dev.resnetops.orchestrator.config.OrchestratorConfig;
import dev.resnetops.orchestrator.events.LiveViews;
import dev.resnetops.orchestrator.service.Idempotency;
import dev.resnetops.orchestrator.service.JobService;
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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/jobs")
@SecurityRequirement(name = "bearer")
@Tag(name = "jobs", description = "Training jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final JobService jobs;
    private final OrchestratorConfig config;
    private final LiveViews live;
    private final ServerPaths paths;

    JobResource(JobService jobs, OrchestratorConfig config, LiveViews live, ServerPaths paths) {
        this.jobs = jobs;
        this.config = config;
        this.live = live;
        this.paths = paths;
    }

    @RolesAllowed(Roles.SUBMITTER)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a training job",
            description = "Body: the dataset (id or name) and the training configuration (same fields as a"
                    + " 'mlops train --config' file; the model is a preset name; omitted fields take defaults)."
                    + " With an Idempotency-Key header a retried submission returns the first job.")
    @APIResponse(responseCode = "201", description = "Queued")
    @APIResponse(responseCode = "200", description = "The same Idempotency-Key was used before: the first job")
    @APIResponse(responseCode = "400", description = "Invalid configuration; every bad field is listed")
    @APIResponse(responseCode = "401", description = "Missing or wrong bearer token")
    @APIResponse(responseCode = "404", description = "No such dataset")
    @APIResponse(responseCode = "409", description = "The dataset is not READY")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for a different request")
    public Response submit(SubmitJobRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Idempotency.Outcome<JobView> outcome = jobs.submit(request, Optional.ofNullable(idempotencyKey));
        return Response.status(outcome.replayed() ? 200 : 201)
                .location(URI.create("/jobs/" + outcome.value().id()))
                .entity(outcome.value()).build();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(summary = "List jobs, newest first, optionally in one state (history is in GET /jobs/{id})")
    public Page<JobView> list(@QueryParam("state") String state,
                              @QueryParam("page") @DefaultValue("0") int page,
                              @QueryParam("size") @DefaultValue("50") int size) {
        Paging paging = Paging.of(page, size, config.api().maxPageSize());
        return jobs.list(StateFilter.parse(state, JobState.class), paging.page(), paging.size());
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{id}")
    @Operation(summary = "A job: state, history, configuration, latest epoch metrics")
    @APIResponse(responseCode = "404", description = "No such job")
    public JobView get(@PathParam("id") String id) {
        return jobs.get(Ids.parse(id, "job"));
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{id}/metrics")
    @Operation(summary = "A job's metrics per finished epoch: train loss, LR, validation top-1/top-5/loss, img/s, time")
    @APIResponse(responseCode = "404", description = "No such job")
    public List<EpochMetricsView> metrics(@PathParam("id") String id) {
        return jobs.metrics(Ids.parse(id, "job"));
    }

    @RolesAllowed(Roles.SUBMITTER)
    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a job", description = "A queued job is cancelled at once; a running job stops"
            + " within one training step. Cancelling again is harmless.")
    @APIResponse(responseCode = "202", description = "Cancelled, or asked to stop")
    @APIResponse(responseCode = "404", description = "No such job")
    @APIResponse(responseCode = "409", description = "The job has already finished")
    public Response cancel(@PathParam("id") String id) {
        return Response.accepted(jobs.cancel(Ids.parse(id, "job"))).build();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // reads PostgreSQL for the snapshot
    @Operation(summary = "A job's live events (server-sent events) until it ends",
            description = "Event 'job' (the job as GET /jobs/{id} returns it), then the job's events as the trainer"
                    + " publishes them: 'TrainingStarted', 'TrainingProgress' (every few seconds), 'EpochCompleted',"
                    + " 'TrainingFinished'; then 'job' again and the stream ends. A job that has already ended gets"
                    + " its 'job' event only. 'heartbeat' every 15 s while nothing else happens. Each event's data"
                    + " is one JSON object (the message as on Kafka, with its 'type').")
    @APIResponse(responseCode = "200", description = "The stream")
    @APIResponse(responseCode = "404", description = "No such job")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        UUID job = Ids.parse(id, "job");
        jobs.get(job); // a 404 before the stream starts, not an error event inside it
        return ServerSentEvents.of(live.job(job).map(paths.liveEventsForCaller()), sse);
    }
}
