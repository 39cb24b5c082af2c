package dev.resnetops.store.init;

import dev.resnetops.store.weights.StoredWeights;
import dev.resnetops.store.weights.WeightFiles;
import dev.resnetops.vision.config.InitSource;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a job's {@code init} names on the platform, looked up in PostgreSQL: an earlier job's final
 * checkpoint ({@code job:<id>}), the checkpoint a registered model version was evaluated from
 * ({@code <model>@<version|alias>}), or an uploaded weights file ({@code weights:<name>}). The
 * orchestrator checks a job's init with it at submission, so a typo is a 400 rather than a failed job;
 * the trainer resolves it again when the job starts, since an alias may have moved in between.
 */
@ApplicationScoped
public class InitReferences {

    private final AgroalDataSource dataSource;
    private final WeightFiles weights;

    InitReferences(AgroalDataSource dataSource, WeightFiles weights) {
        this.dataSource = dataSource;
        this.weights = weights;
    }

    /**
     * @param location the checkpoint folder or weights file, as recorded (a path on the shared storage)
     * @param description what the reference stood for, for the run's provenance
     * @param sha256 what the weights' bytes must hash to (the checkpoint's model.params, or the uploaded
     *     file), so a file changed since it was recorded is refused; "" when nothing was recorded
     */
    public record Reference(String location, String description, String sha256) {
    }

    /**
     * @param source a platform reference ({@link InitSource#needsPlatform()})
     * @throws UnknownInitException naming what does not exist or has no weights to start from
     */
    public Reference resolve(InitSource source) {
        if (source instanceof InitSource.Job job) {
            return job(job.jobId());
        }
        if (source instanceof InitSource.RegisteredModel model) {
            return modelVersion(model.name(), model.versionOrAlias());
        }
        if (source instanceof InitSource.Uploaded uploaded) {
            return uploaded(uploaded.name());
        }
        throw new IllegalArgumentException("not a platform reference: " + source);
    }

    private Reference job(String id) {
        UUID jobId;
        try {
            jobId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new UnknownInitException("init job:" + id + ": not a job id (a UUID, as GET /jobs shows it)");
        }
        return query("SELECT state, checkpoint_location FROM jobs WHERE id = ?", q -> q.setObject(1, jobId), rs -> {
            if (!rs.next()) {
                throw new UnknownInitException("init job:" + id + ": there is no such job");
            }
            String state = rs.getString("state");
            String checkpoint = rs.getString("checkpoint_location");
            if (!"COMPLETED".equals(state) || checkpoint == null) {
                throw new UnknownInitException("init job:" + id + ": the job is " + state
                        + "; only a COMPLETED job has a final checkpoint to start from");
            }
            return new Reference(checkpoint, "the final checkpoint of job " + id, "");
        });
    }

    private Reference modelVersion(String model, String versionOrAlias) {
        boolean byNumber = versionOrAlias.chars().allMatch(Character::isDigit);
        String sql = "SELECT m.version, m.job_id, m.checkpoint_sha256, j.checkpoint_location FROM model_versions m"
                + " JOIN jobs j ON j.id = m.job_id "
                + (byNumber ? "WHERE m.registered_model = ? AND m.version = ?"
                        : "JOIN model_aliases a ON a.model_version_id = m.id WHERE m.registered_model = ? AND a.alias = ?");
        Optional<Reference> found = query(sql, q -> {
            q.setString(1, model);
            if (byNumber) {
                q.setInt(2, Integer.parseInt(versionOrAlias));
            } else {
                q.setString(2, versionOrAlias);
            }
        }, rs -> {
            if (!rs.next()) {
                return Optional.empty();
            }
            String checkpoint = rs.getString("checkpoint_location");
            String job = rs.getString("job_id");
            String version = model + " version " + rs.getInt("version");
            if (checkpoint == null) {
                throw new UnknownInitException("init " + model + "@" + versionOrAlias + ": " + version + " was trained"
                        + " by job " + job + ", which has no checkpoint location recorded");
            }
            String sha256 = rs.getString("checkpoint_sha256");
            return Optional.of(new Reference(checkpoint, version + (byNumber ? "" : " (alias " + versionOrAlias + ")")
                    + ", trained by job " + job, sha256 == null ? "" : sha256));
        });
        return found.orElseThrow(() -> new UnknownInitException(missingVersion(model, versionOrAlias, byNumber)));
    }

    private String missingVersion(String model, String versionOrAlias, boolean byNumber) {
        List<String> known = query(byNumber
                ? "SELECT version::text FROM model_versions WHERE registered_model = ? ORDER BY version"
                : "SELECT alias FROM model_aliases WHERE registered_model = ? ORDER BY alias",
                q -> q.setString(1, model), rs -> {
                    List<String> values = new ArrayList<>();
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                    return values;
                });
        boolean modelExists = byNumber ? !known.isEmpty() : query(
                "SELECT 1 FROM model_versions WHERE registered_model = ? LIMIT 1", q -> q.setString(1, model), ResultSet::next);
        if (!modelExists) {
            return "init " + model + "@" + versionOrAlias + ": there is no registered model '" + model
                    + "' (GET /models lists them)";
        }
        return "init " + model + "@" + versionOrAlias + ": registered model '" + model + "' has no "
                + (byNumber ? "version " + versionOrAlias + " (its versions: " : "alias '" + versionOrAlias + "' (its aliases: ")
                + (known.isEmpty() ? "none" : String.join(", ", known)) + ")";
    }

    private Reference uploaded(String name) {
        StoredWeights stored = weights.find(name).orElseThrow(() -> new UnknownInitException("init weights:" + name
                + ": no weights file of that name was uploaded (GET /weights lists them; PUT /weights/" + name
                + " uploads one)"));
        return new Reference(stored.location(), "uploaded weights '" + name + "' (" + stored.format() + ", "
                + stored.tensors() + " tensors, uploaded " + stored.createdAt() + ")", stored.sha256());
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement q) throws SQLException;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, Binder binder, Reader<T> reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            binder.bind(q);
            try (ResultSet rs = q.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up a job's init: " + e.getMessage(), e);
        }
    }
}
