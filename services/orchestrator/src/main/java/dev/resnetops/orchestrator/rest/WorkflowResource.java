package dev.resnetops.orchestrator.rest;

import dev.resnetops.apisecurity.Roles;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.api.StartWorkflowRequest;
import dev.resnetops.contracts.api.WorkflowRunState;
import dev.resnetops.contracts.api.WorkflowRunView;
import dev.resnetops.contracts.api.WorkflowSummary;
import dev.resnetops.orchestrator.config.OrchestratorConfig;
import dev.resnetops.orchestrator.service.Idempotency;
import dev.resnetops.orchestrator.service.workflow.WorkflowService;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/workflows")
@SecurityRequirement(name = "bearer")
@Tag(name = "workflows", description = "Declarative pipelines (workflows/*.yaml) run as one request")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {

    private final WorkflowService workflows;
    private final OrchestratorConfig config;
    private final ServerPaths paths;

    WorkflowResource(WorkflowService workflows, OrchestratorConfig config, ServerPaths paths) {
        this.workflows = workflows;
        this.config = config;
        this.paths = paths;
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Operation(summary = "The workflows this server can run, with their parameters and defaults",
            description = "A definition with mistakes is listed with its problems (file:line: problem).")
    public List<WorkflowSummary> catalog() {
        return workflows.catalog();
    }

    @RolesAllowed(Roles.SUBMITTER)
    @POST
    @Path("/{name}/runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run a workflow",
            description = "Body: {\"parameters\": {...}} overriding the defaults, typed as GET /workflows lists them."
                    + " The run and all its steps are stored at once; the engine then runs them. With an"
                    + " Idempotency-Key header a retried submission returns the first run.")
    @APIResponse(responseCode = "201", description = "Stored; its steps start as their dependencies succeed")
    @APIResponse(responseCode = "200", description = "The same Idempotency-Key was used before: the first run")
    @APIResponse(responseCode = "400", description = "Bad parameters or definition; every problem as file:line")
    @APIResponse(responseCode = "401", description = "Missing or wrong bearer token")
    @APIResponse(responseCode = "404", description = "No such workflow")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for a different request")
    public Response start(@PathParam("name") String name, StartWorkflowRequest request,
                          @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Idempotency.Outcome<WorkflowRunView> outcome =
                workflows.submit(name, request, Optional.ofNullable(idempotencyKey));
        return Response.status(outcome.replayed() ? 200 : 201)
                .location(URI.create("/workflows/runs/" + outcome.value().id()))
                .entity(outcome.value()).build();
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/runs")
    @Operation(summary = "List workflow runs, newest first, optionally in one state (steps are in GET /workflows/runs/{id})")
    public Page<WorkflowRunView> runs(@QueryParam("state") String state,
                                      @QueryParam("page") @DefaultValue("0") int page,
                                      @QueryParam("size") @DefaultValue("50") int size) {
        Paging paging = Paging.of(page, size, config.api().maxPageSize());
        return paths.shownRuns(workflows.list(StateFilter.parse(state, WorkflowRunState.class), paging.page(),
                paging.size()));
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("/runs/{id}")
    @Operation(summary = "A workflow run: its state, every step (state, attempt, job, outputs, error), and the"
            + " result table once it has ended")
    @APIResponse(responseCode = "404", description = "No such run")
    public WorkflowRunView run(@PathParam("id") String id) {
        return paths.shown(workflows.get(Ids.parse(id, "workflow run")));
    }

    @RolesAllowed(Roles.SUBMITTER)
    @POST
    @Path("/runs/{id}/cancel")
    @Operation(summary = "Cancel a workflow run", description = "Its running trainings are cancelled, its"
            + " unfinished steps end CANCELLED.")
    @APIResponse(responseCode = "202", description = "Cancelled")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "409", description = "The run has already ended")
    public Response cancel(@PathParam("id") String id) {
        return Response.accepted(workflows.cancel(Ids.parse(id, "workflow run"))).build();
    }
}
