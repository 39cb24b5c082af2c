package dev.resnetops.orchestrator.service.workflow;

import dev.resnetops.orchestrator.repository.WorkflowRunRepository;
import dev.resnetops.orchestrator.repository.WorkflowStepRepository;
import dev.resnetops.tracking.MlflowClient;
import dev.resnetops.tracking.MlflowException;
import dev.resnetops.tracking.MlflowUnavailableException;
import dev.resnetops.tracking.Run;
import dev.resnetops.tracking.RunStatus;
import dev.resnetops.tracking.Tag;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Mirrors workflow runs into MLflow after the fact: a parent run per workflow run (in the experiment of
 * its first training, where the UI nests children under it), each training's run tagged as its child,
 * and the result table (CSV and chart) on the parent once the workflow has ended. Everything here is
 * derived from PostgreSQL and remembered there once done, so an MLflow outage only delays it: the
 * engine never waits for MLflow, and the next pass picks up where this one stopped.
 *
 * <p>Children are linked here rather than at creation because the trainer creates a job's run on its
 * own schedule (its tracking outbox), possibly before the parent exists; {@code mlflow.parentRunId} set
 * afterwards nests the run in the UI all the same.
 */
@ApplicationScoped
public class RunTracking {

    static final String WORKFLOW_RUN_TAG = "resnetops.workflow_run_id";
    static final String PARENT_TAG = "resnetops.workflow_parent";
    static final String STEP_TAG = "resnetops.workflow_step";
    private static final String MLFLOW_PARENT_TAG = "mlflow.parentRunId";
    private static final Logger LOG = Logger.getLogger(RunTracking.class);

    private final MlflowClient mlflow;
    private final WorkflowRunRepository runs;
    private final WorkflowStepRepository steps;
    private final ResultArtifacts artifacts;
    private volatile boolean unavailable;

    RunTracking(MlflowClient mlflow, WorkflowRunRepository runs, WorkflowStepRepository steps, ResultArtifacts artifacts) {
        this.mlflow = mlflow;
        this.runs = runs;
        this.steps = steps;
        this.artifacts = artifacts;
    }

    /** Does what MLflow is missing; returns quietly when MLflow is unreachable. */
    void catchUp() {
        try {
            runs.withoutParentRun(20).forEach(this::createParent);
            steps.unlinkedChildren(50).forEach(this::link);
            runs.endedWithoutLoggedResult(5).forEach(this::logResult);
            if (unavailable) {
                LOG.info("MLflow is reachable again; workflow runs are tracked again");
            }
            unavailable = false;
        } catch (MlflowUnavailableException e) {
            if (!unavailable) {
                LOG.warnf("MLflow unreachable (%s); workflows go on and their MLflow runs catch up later", e.getMessage());
            }
            unavailable = true;
        } catch (MlflowException e) {
            LOG.warnf("MLflow refused a workflow tracking request (tried again next pass): %s", e.getMessage());
        }
    }

    private void createParent(WorkflowRunRepository.RunWithoutParent run) {
        String experimentId = mlflow.experimentIdFor(run.experiment());
        // A pass that died after creating the parent and before recording it left it in MLflow: reuse it.
        List<Run> earlier = mlflow.searchRuns(List.of(experimentId), "tags.`" + WORKFLOW_RUN_TAG + "` = '" + run.id()
                + "' and tags.`" + PARENT_TAG + "` = 'true'", 1);
        String parentId;
        if (!earlier.isEmpty()) {
            parentId = earlier.get(0).info().runId();
        } else {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(WORKFLOW_RUN_TAG, run.id().toString());
            tags.put(PARENT_TAG, "true");
            tags.put("resnetops.workflow", run.workflow());
            tags.put("mlflow.source.name", "resnetops workflow " + run.workflow());
            parentId = mlflow.createRun(experimentId, run.workflow() + "-" + run.id().toString().substring(0, 8),
                    Instant.now(), tags).runId();
        }
        runs.setParentRun(run.id(), experimentId, parentId);
        LOG.infof("workflow run %s: MLflow parent run %s (%s)", run.id(), parentId, mlflow.runUrl(experimentId, parentId));
    }

    private void link(WorkflowStepRepository.UnlinkedChild child) {
        mlflow.logBatch(child.childRunId(), List.of(), List.of(), List.of(
                new Tag(MLFLOW_PARENT_TAG, child.parentRunId()),
                new Tag(WORKFLOW_RUN_TAG, child.runId().toString()),
                new Tag(STEP_TAG, child.key())));
        steps.markLinked(child.stepId());
    }

    private void logResult(WorkflowRunRepository.UnloggedRun run) {
        artifacts.upload(run.parentRunId(), run.result());
        RunStatus status;
        switch (run.state()) {
            case COMPLETED:
                status = RunStatus.FINISHED;
                break;
            case CANCELLED:
                status = RunStatus.KILLED;
                break;
            default:
                status = RunStatus.FAILED;
        }
        mlflow.finishRun(run.parentRunId(), status, Instant.now());
        runs.markLogged(run.id());
        LOG.infof("workflow run %s: result logged to MLflow parent run %s", run.id(), run.parentRunId());
    }
}
