package dev.resnetops.orchestrator.service.workflow;

import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.api.StartWorkflowRequest;
import dev.resnetops.contracts.api.WorkflowRunState;
import dev.resnetops.contracts.api.WorkflowRunView;
import dev.resnetops.contracts.api.WorkflowStepState;
import dev.resnetops.contracts.api.WorkflowStepView;
import dev.resnetops.contracts.api.WorkflowSummary;
import dev.resnetops.orchestrator.repository.JobRepository;
import dev.resnetops.orchestrator.repository.JsonColumns;
import dev.resnetops.orchestrator.repository.WorkflowRunRepository;
import dev.resnetops.orchestrator.repository.WorkflowRunRow;
import dev.resnetops.orchestrator.repository.WorkflowStepRepository;
import dev.resnetops.orchestrator.repository.WorkflowStepRow;
import dev.resnetops.orchestrator.service.Idempotency;
import dev.resnetops.orchestrator.service.JobService;
import dev.resnetops.orchestrator.service.RequestRefused;
import dev.resnetops.workflows.InvalidWorkflowException;
import dev.resnetops.workflows.WorkflowDefinitions;
import dev.resnetops.workflows.definition.StepKind;
import dev.resnetops.workflows.plan.ResultTable;
import dev.resnetops.workflows.plan.WorkflowPlan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Workflow runs as users act on them: submit (plan, then store the run and every step PENDING in one
 * transaction; the engine does the rest), read, list, cancel.
 */
@ApplicationScoped
public class WorkflowService {

    private static final Logger LOG = Logger.getLogger(WorkflowService.class);

    private final WorkflowLibrary library;
    private final WorkflowRunRepository runs;
    private final WorkflowStepRepository steps;
    private final JobRepository jobs;
    private final JobService jobService;
    private final Idempotency idempotency;
    private final RunResult results;
    private final JsonColumns json;

    WorkflowService(WorkflowLibrary library, WorkflowRunRepository runs, WorkflowStepRepository steps,
                    JobRepository jobs, JobService jobService, Idempotency idempotency, RunResult results,
                    JsonColumns json) {
        this.library = library;
        this.runs = runs;
        this.steps = steps;
        this.jobs = jobs;
        this.jobService = jobService;
        this.idempotency = idempotency;
        this.results = results;
        this.json = json;
    }

    public List<WorkflowSummary> catalog() {
        return library.list();
    }

    public Idempotency.Outcome<WorkflowRunView> submit(String name, StartWorkflowRequest request,
                                                       Optional<String> idempotencyKey) {
        WorkflowLibrary.Loaded loaded = library.load(name);
        Map<String, Object> overrides = request == null || request.parameters() == null ? Map.of() : request.parameters();
        WorkflowPlan plan;
        try {
            plan = WorkflowDefinitions.plan(loaded.definition(), overrides);
        } catch (InvalidWorkflowException e) {
            throw WorkflowLibrary.refused(e);
        }
        // The same definition text with the same parameters (defaults included) is the same request.
        String canonical = name + "\n" + json.write(new TreeMap<>(plan.parameters())) + "\n" + loaded.source();
        Idempotency.Outcome<WorkflowRunView> outcome = idempotency.run("workflow-runs", idempotencyKey, canonical,
                () -> store(plan, loaded.source()), this::get);
        if (!outcome.replayed()) {
            LOG.infof("workflow run %s of %s submitted: %d steps, parameters %s", outcome.value().id(), name,
                    plan.steps().size(), plan.parameters());
        }
        return outcome;
    }

    private UUID store(WorkflowPlan plan, String source) {
        UUID id = UUID.randomUUID();
        runs.insert(id, plan.workflow(), source, plan.parameters(), plan, plan.limits().maxParallel());
        for (int i = 0; i < plan.steps().size(); i++) {
            steps.insert(id, i, plan.steps().get(i));
        }
        return id;
    }

    public WorkflowRunView get(UUID id) {
        WorkflowRunRow run = runs.find(id).orElseThrow(() -> RequestRefused.notFound("no workflow run " + id));
        return view(run, steps.forRun(id).stream().map(WorkflowStepRow::view).toList());
    }

    public Page<WorkflowRunView> list(Optional<WorkflowRunState> state, int page, int size) {
        Page<WorkflowRunRow> rows = runs.list(state, page, size);
        return new Page<>(rows.items().stream().map(run -> view(run, List.<WorkflowStepView>of())).toList(),
                rows.page(), rows.size(), rows.total());
    }

    /**
     * Ends the run as CANCELLED: its running trainings are cancelled (as {@code POST /jobs/{id}/cancel}),
     * its other unfinished steps too; the result table keeps the rows that had finished. Waits for an engine pass that holds the run to commit first.
     */
    @Transactional
    public WorkflowRunView cancel(UUID id) {
        WorkflowRunState state = runs.lock(id).orElseThrow(() -> RequestRefused.notFound("no workflow run " + id));
        if (state.isTerminal()) {
            throw RequestRefused.conflict("workflow run " + id + " is already " + state + "; there is nothing to cancel");
        }
        for (WorkflowStepRow step : steps.forRun(id)) {
            if (step.state().isTerminal()) {
                continue;
            }
            if (step.state() == WorkflowStepState.RUNNING && step.jobId() != null
                    && step.kind() == StepKind.TRAIN
                    && jobs.find(step.jobId()).map(JobView::state).filter(s -> !s.isTerminal()).isPresent()) {
                jobService.cancel(step.jobId());
            }
            steps.end(step.id(), WorkflowStepState.CANCELLED, "cancelled with the workflow run");
        }
        // The rows that did finish still make a (partial) table, as for a failed run.
        WorkflowRunRow row = runs.find(id).orElseThrow();
        runs.finish(id, WorkflowRunState.CANCELLED, "cancelled by request",
                results.build(row, steps.forRun(id)).orElse(null));
        LOG.infof("workflow run %s cancelled", id);
        return get(id);
    }

    private WorkflowRunView view(WorkflowRunRow run, List<WorkflowStepView> stepViews) {
        String markdown = results.read(run.result()).map(ResultTable::toMarkdown).orElse(null);
        return new WorkflowRunView(run.id(), run.workflow(), run.state(), run.stateReason(), run.parameters(), stepViews,
                run.result(), markdown, run.mlflowParentRunId(), run.createdAt(), run.updatedAt(), run.finishedAt());
    }
}
