package dev.resnetops.orchestrator.repository;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resnetops.contracts.api.Page;
import dev.resnetops.contracts.api.WorkflowRunState;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Workflow runs: what was submitted (definition text, parameters, plan), their state and result. */
@ApplicationScoped
public class WorkflowRunRepository {

    /** A finished run whose parent MLflow run has not been given its result yet. */
    public record UnloggedRun(UUID id, String parentRunId, WorkflowRunState state, JsonNode result) {
    }

    /** A run that needs a parent MLflow run, in the experiment of its first train job. */
    public record RunWithoutParent(UUID id, String workflow, String experiment) {
    }

    private static final String SELECT = "SELECT id, workflow, state, state_reason, parameters, plan, max_parallel,"
            + " result, mlflow_parent_run_id, mlflow_experiment_id, created_at, updated_at, finished_at"
            + " FROM workflow_runs ";

    private final AgroalDataSource dataSource;
    private final JsonColumns json;

    WorkflowRunRepository(AgroalDataSource dataSource, JsonColumns json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public void insert(UUID id, String workflow, String definition, Object parameters, Object plan,
                       Integer maxParallel) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO workflow_runs (id, workflow, definition,"
                     + " parameters, plan, max_parallel, state) VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, 'RUNNING')")) {
            insert.setObject(1, id);
            insert.setString(2, workflow);
            insert.setString(3, definition);
            insert.setString(4, json.write(parameters));
            insert.setString(5, json.write(plan));
            if (maxParallel == null) {
                insert.setNull(6, Types.INTEGER);
            } else {
                insert.setInt(6, maxParallel);
            }
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store workflow run " + id, e);
        }
    }

    public Optional<WorkflowRunRow> find(UUID id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(SELECT + "WHERE id = ?")) {
            q.setObject(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read workflow run " + id, e);
        }
    }

    /** Newest first. */
    public Page<WorkflowRunRow> list(Optional<WorkflowRunState> state, int page, int size) {
        String where = state.isPresent() ? "WHERE state = ? " : "";
        try (Connection c = dataSource.getConnection()) {
            return PageQuery.fetch(c, "SELECT count(*) FROM workflow_runs " + where,
                    SELECT + where + "ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                    state.map(WorkflowRunState::name).stream().toList(), page, size, this::map);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list workflow runs", e);
        }
    }

    /** Ids of the runs the engine has to advance, oldest first. */
    public List<UUID> running() {
        return ids("SELECT id FROM workflow_runs WHERE state = 'RUNNING' ORDER BY created_at");
    }

    /**
     * Locks a RUNNING run for the rest of the transaction, or answers false when it is not RUNNING or
     * another transaction (another orchestrator instance) holds it: that one advances it this time.
     */
    public boolean lockIfRunningAndFree(UUID id) {
        return lock("SELECT 1 FROM workflow_runs WHERE id = ? AND state = 'RUNNING' FOR UPDATE SKIP LOCKED", id);
    }

    /** Locks the run, waiting for the engine's transaction to finish; its state, or empty when unknown. */
    public Optional<WorkflowRunState> lock(UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT state FROM workflow_runs WHERE id = ? FOR UPDATE")) {
            q.setObject(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(WorkflowRunState.valueOf(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock workflow run " + id, e);
        }
    }

    /** The run ends: its state, why (null when it completed) and its result table (or null). */
    public void finish(UUID id, WorkflowRunState state, String reason, Object result) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement u = c.prepareStatement("UPDATE workflow_runs SET state = ?, state_reason = ?,"
                     + " result = ?::jsonb, finished_at = now(), updated_at = now() WHERE id = ?")) {
            u.setString(1, state.name());
            u.setString(2, reason);
            u.setString(3, result == null ? null : json.write(result));
            u.setObject(4, id);
            u.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot finish workflow run " + id, e);
        }
    }

    public void touch(UUID id) {
        execute("UPDATE workflow_runs SET updated_at = now() WHERE id = ?", id);
    }

    // ---- MLflow bookkeeping ------------------------------------------------------------------------

    /**
     * Runs that have a train job but no parent MLflow run yet, with that job's experiment: the parent
     * goes into the experiment of the children, where the MLflow UI nests them.
     */
    public List<RunWithoutParent> withoutParentRun(int max) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT DISTINCT ON (r.id) r.id, r.workflow, j.experiment"
                     + " FROM workflow_runs r JOIN workflow_steps s ON s.run_id = r.id JOIN jobs j ON j.id = s.job_id"
                     + " WHERE r.mlflow_parent_run_id IS NULL AND s.kind = 'train' ORDER BY r.id, s.position LIMIT ?")) {
            q.setInt(1, max);
            List<RunWithoutParent> runs = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    runs.add(new RunWithoutParent((UUID) rs.getObject(1), rs.getString(2), rs.getString(3)));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read workflow runs without an MLflow parent run", e);
        }
    }

    public void setParentRun(UUID id, String experimentId, String parentRunId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement u = c.prepareStatement("UPDATE workflow_runs SET mlflow_experiment_id = ?,"
                     + " mlflow_parent_run_id = ? WHERE id = ? AND mlflow_parent_run_id IS NULL")) {
            u.setString(1, experimentId);
            u.setString(2, parentRunId);
            u.setObject(3, id);
            u.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the MLflow parent run of workflow run " + id, e);
        }
    }

    /** Ended runs with a parent MLflow run that has not received the result yet. */
    public List<UnloggedRun> endedWithoutLoggedResult(int max) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT id, mlflow_parent_run_id, state, result FROM workflow_runs"
                     + " WHERE state <> 'RUNNING' AND mlflow_parent_run_id IS NOT NULL AND mlflow_logged_at IS NULL"
                     + " ORDER BY finished_at LIMIT ?")) {
            q.setInt(1, max);
            List<UnloggedRun> runs = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    runs.add(new UnloggedRun((UUID) rs.getObject(1), rs.getString(2),
                            WorkflowRunState.valueOf(rs.getString(3)), json.tree(rs.getString(4))));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read ended workflow runs", e);
        }
    }

    public void markLogged(UUID id) {
        execute("UPDATE workflow_runs SET mlflow_logged_at = now() WHERE id = ?", id);
    }

    private boolean lock(String sql, UUID id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock workflow run " + id, e);
        }
    }

    private void execute(String sql, UUID id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement u = c.prepareStatement(sql)) {
            u.setObject(1, id);
            u.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update workflow run " + id, e);
        }
    }

    private List<UUID> ids(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql);
             ResultSet rs = q.executeQuery()) {
            List<UUID> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add((UUID) rs.getObject(1));
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list workflow runs", e);
        }
    }

    private WorkflowRunRow map(ResultSet rs) throws SQLException {
        int maxParallel = rs.getInt("max_parallel");
        Integer parallel = rs.wasNull() ? null : maxParallel;
        return new WorkflowRunRow((UUID) rs.getObject("id"), rs.getString("workflow"),
                WorkflowRunState.valueOf(rs.getString("state")), rs.getString("state_reason"),
                json.tree(rs.getString("parameters")), json.tree(rs.getString("plan")), parallel,
                json.tree(rs.getString("result")), rs.getString("mlflow_parent_run_id"),
                rs.getString("mlflow_experiment_id"), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")), instant(rs.getTimestamp("finished_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
