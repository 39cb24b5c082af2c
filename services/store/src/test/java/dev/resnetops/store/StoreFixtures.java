package dev.resnetops.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.resnetops.store.datasets.DatasetStore;
import dev.resnetops.store.datasets.NewDatasetVersion;
import dev.resnetops.store.jobs.JobStore;
import dev.resnetops.store.jobs.NewJob;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/** Rows the store's tests start from, written through the store itself, and the history they read back. */
public final class StoreFixtures {

    /** A READY dataset on a version of its own (a fresh content hash). */
    public record ReadyDataset(UUID datasetId, UUID versionId, String shards) {
    }

    private StoreFixtures() {
    }

    public static ReadyDataset readyDataset(DatasetStore datasets) {
        UUID datasetId = UUID.randomUUID();
        String hash = "test-" + UUID.randomUUID();
        String shards = "/data/shards/" + hash;
        UUID versionId = QuarkusTransaction.requiringNew().call(() -> {
            datasets.register(datasetId, "store-test", "/src/store-test");
            UUID version = datasets.insertVersion(new NewDatasetVersion(hash, "image-folder", List.of("a", "b"),
                    Map.of("train", 4, "test", 2), Map.of("train", Map.of("a", 2, "b", 2)), 1, 8, 8, List.of(0.5),
                    List.of(0.25), shards, List.of()));
            datasets.markReady(datasetId, "store-test", "/src/store-test", version, List.of());
            return version;
        });
        return new ReadyDataset(datasetId, versionId, shards);
    }

    /** A QUEUED job on {@code dataset}, submitted through the store. */
    public static UUID queuedJob(JobStore jobs, ReadyDataset dataset) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> jobs.insertQueued(new NewJob(id, dataset.datasetId(),
                dataset.versionId(), "resnet18-small", JsonNodeFactory.instance.objectNode().put("epochs", 2),
                "store-tests", null), "submitted"));
        return id;
    }

    /** The job's history as "STATE: reason" lines, in order. */
    public static List<String> history(DataSource db, UUID jobId) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement(
                     "SELECT state, reason FROM job_state_history WHERE job_id = ? ORDER BY id")) {
            q.setObject(1, jobId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1) + ": " + rs.getString(2));
                }
            }
        }
        return lines;
    }
}
