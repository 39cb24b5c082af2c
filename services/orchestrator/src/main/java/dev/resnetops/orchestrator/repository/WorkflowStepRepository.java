package dev.resnetops.orchestrator.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.contracts.api.WorkflowStepState;
import dev.resnetops.workflows.definition.StepKind;
import dev.resnetops.workflows.plan.PlannedStep;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The steps of workflow runs. Every change is one UPDATE inside the engine's transaction, which also
 * holds the run's row lock: the caller decides the transition, this class only writes it.
 */
@ApplicationScoped
public class WorkflowStepRepository {

    /** A train step whose job has an MLflow run that is not yet linked to the workflow's parent run. */
    public record UnlinkedChild(UUID stepId, UUID runId, String key, String childRunId, String parentRunId) {
    }

    private static final TypeReference<List<String>> KEYS = new TypeReference<>() {
    };

    private final AgroalDataSource dataSource;
    private final JsonColumns json;

    WorkflowStepRepository(AgroalDataSource dataSource, JsonColumns json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public void insert(UUID runId, int position, PlannedStep step) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO workflow_steps (id, run_id, step_key, kind,"
                     + " depends_on, inputs, state, position, origin) VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb,"
                     + " 'PENDING', ?, ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setObject(2, runId);
            insert.setString(3, step.key());
            insert.setString(4, step.kind().key());
            insert.setString(5, json.write(step.dependsOn()));
            insert.setString(6, json.write(step.inputs()));
            insert.setInt(7, position);
            insert.setString(8, step.origin());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store step " + step.key() + " of workflow run " + runId, e);
        }
    }

    /**
     * The run's steps in plan order (dependencies first). A succeeded train step's {@code run} output is
     * read from its job when the step recorded none: the trainer names the MLflow run when its tracking
     * relay reaches MLflow, which may be after the job completed.
     */
    public List<WorkflowStepRow> forRun(UUID runId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT s.id, s.run_id, s.step_key, s.kind, s.origin,"
                     + " s.depends_on, s.inputs, s.state, s.attempt, s.next_attempt_at, s.job_id, s.output, s.error,"
                     + " s.started_at, s.finished_at, j.mlflow_run_id AS job_mlflow_run_id"
                     + " FROM workflow_steps s LEFT JOIN jobs j ON j.id = s.job_id WHERE s.run_id = ?"
                     + " ORDER BY s.position")) {
            q.setObject(1, runId);
            List<WorkflowStepRow> steps = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    steps.add(map(rs));
                }
            }
            return steps;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the steps of workflow run " + runId, e);
        }
    }

    /**
     * A new attempt begins: RUNNING, attempt counted, the job it started or waits for recorded. The
     * previous attempt's error stays until this one ends, so a retry shows why it is one.
     *
     * @param progress what the attempt has to remember until it succeeds (an ingest step's dataset id), or null
     */
    public void start(UUID stepId, UUID jobId, JsonNode progress) {
        update("UPDATE workflow_steps SET state = 'RUNNING', attempt = attempt + 1, job_id = ?, output = ?::jsonb,"
                + " next_attempt_at = NULL, mlflow_linked_at = NULL, started_at = now(),"
                + " finished_at = NULL, updated_at = now() WHERE id = ?", stepId, jobId,
                progress == null ? null : json.write(progress));
    }

    public void succeed(UUID stepId, JsonNode output) {
        update("UPDATE workflow_steps SET state = 'SUCCEEDED', output = ?::jsonb, error = NULL, finished_at = now(),"
                + " updated_at = now() WHERE id = ?", stepId, json.write(output));
    }

    /** The attempt failed and another one is due at {@code nextAttemptAt}. */
    public void retryLater(UUID stepId, String error, Instant nextAttemptAt) {
        update("UPDATE workflow_steps SET state = 'PENDING', error = ?, next_attempt_at = ?, updated_at = now()"
                + " WHERE id = ?", stepId, error, Timestamp.from(nextAttemptAt));
    }

    /** A terminal state other than SUCCEEDED: FAILED, CANCELLED or SKIPPED, with why. */
    public void end(UUID stepId, WorkflowStepState state, String error) {
        update("UPDATE workflow_steps SET state = ?, error = ?, next_attempt_at = NULL, finished_at = now(),"
                + " updated_at = now() WHERE id = ?", stepId, state.name(), error);
    }

    /** Postpones a step without using an attempt (a service it needs is unreachable). */
    public void postpone(UUID stepId, String why, Instant until) {
        update("UPDATE workflow_steps SET error = ?, next_attempt_at = ?, updated_at = now() WHERE id = ?",
                stepId, why, Timestamp.from(until));
    }

    public List<UnlinkedChild> unlinkedChildren(int max) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT s.id, s.run_id, s.step_key, j.mlflow_run_id,"
                     + " r.mlflow_parent_run_id FROM workflow_steps s JOIN jobs j ON j.id = s.job_id"
                     + " JOIN workflow_runs r ON r.id = s.run_id WHERE s.kind = 'train' AND s.mlflow_linked_at IS NULL"
                     + " AND j.mlflow_run_id IS NOT NULL AND r.mlflow_parent_run_id IS NOT NULL LIMIT ?")) {
            q.setInt(1, max);
            List<UnlinkedChild> children = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    children.add(new UnlinkedChild((UUID) rs.getObject(1), (UUID) rs.getObject(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
            return children;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read unlinked workflow child runs", e);
        }
    }

    public void markLinked(UUID stepId) {
        update("UPDATE workflow_steps SET mlflow_linked_at = now() WHERE id = ?", stepId);
    }

    /** Runs an update whose last parameter is the step id, after the given values in order. */
    private void update(String sql, UUID stepId, Object... values) {
        try (Connection c = dataSource.getConnection(); PreparedStatement u = c.prepareStatement(sql)) {
            int i = 1;
            for (Object value : values) {
                u.setObject(i++, value);
            }
            u.setObject(i, stepId);
            u.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update workflow step " + stepId, e);
        }
    }

    private WorkflowStepRow map(ResultSet rs) throws SQLException {
        StepKind kind = StepKind.fromKey(rs.getString("kind"))
                .orElseThrow(() -> new IllegalStateException("unknown step kind in the database"));
        JsonNode output = json.tree(rs.getString("output"));
        String jobRun = rs.getString("job_mlflow_run_id");
        if (kind == StepKind.TRAIN && output instanceof ObjectNode && !output.hasNonNull("run") && jobRun != null) {
            ((ObjectNode) output).put("run", jobRun);
        }
        return new WorkflowStepRow((UUID) rs.getObject("id"), (UUID) rs.getObject("run_id"), rs.getString("step_key"),
                kind, rs.getString("origin"), json.read(rs.getString("depends_on"), KEYS),
                (ObjectNode) json.tree(rs.getString("inputs")), WorkflowStepState.valueOf(rs.getString("state")),
                rs.getInt("attempt"), instant(rs.getTimestamp("next_attempt_at")), (UUID) rs.getObject("job_id"),
                output, rs.getString("error"), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
