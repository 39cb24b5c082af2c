package dev.resnetops.store.jobs;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * What a run records about its job besides the state: finished epochs ({@code job_epoch_metrics}), live
 * progress and the MLflow run's ids. None of it changes the job's state, so these writes need no lock;
 * they join the caller's transaction when there is one.
 */
@ApplicationScoped
public class JobRunRecords {

    private final AgroalDataSource dataSource;

    JobRunRecords(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A finished epoch; replaying the same epoch (after a resume) changes nothing. Returns true if new. */
    public boolean recordEpoch(UUID jobId, int epoch, double trainLoss, double learningRate, Double top1, Double top5,
                               Double valLoss, double imagesPerSecond, double seconds) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO job_epoch_metrics (job_id, epoch, train_loss,"
                     + " learning_rate, val_top1, val_top5, val_loss, images_per_second, epoch_seconds)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, epoch) DO NOTHING")) {
            insert.setObject(1, jobId);
            insert.setInt(2, epoch);
            insert.setDouble(3, trainLoss);
            insert.setDouble(4, learningRate);
            insert.setObject(5, top1);
            insert.setObject(6, top5);
            insert.setObject(7, valLoss);
            insert.setDouble(8, imagesPerSecond);
            insert.setDouble(9, seconds);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record epoch " + epoch + " of job " + jobId, e);
        }
    }

    /** @param progressJson the latest TrainingProgress as JSON: step, ETA, img/s */
    public void updateProgress(UUID jobId, String progressJson) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement(
                     "UPDATE jobs SET progress = ?::jsonb, updated_at = now() WHERE id = ?")) {
            update.setString(1, progressJson);
            update.setObject(2, jobId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the progress of job " + jobId, e);
        }
    }

    /** The job's MLflow run, once the trainer's tracking relay has created it; empty before (or for no such job). */
    public Optional<String> mlflowRunId(UUID jobId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT mlflow_run_id FROM jobs WHERE id = ?")) {
            q.setObject(1, jobId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the MLflow run of job " + jobId, e);
        }
    }

    public void setMlflowRun(UUID jobId, String experimentId, String runId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement(
                     "UPDATE jobs SET mlflow_experiment_id = ?, mlflow_run_id = ? WHERE id = ?")) {
            update.setString(1, experimentId);
            update.setString(2, runId);
            update.setObject(3, jobId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the MLflow run of job " + jobId, e);
        }
    }
}
