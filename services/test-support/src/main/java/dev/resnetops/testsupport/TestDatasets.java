package dev.resnetops.testsupport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Dataset rows as the ingestion service leaves them, written directly: the orchestrator's own tests
 * need a READY (or INGESTING) dataset without running an ingestion. The end-to-end path through the
 * real ingestion service is covered by the system tests.
 */
public final class TestDatasets {

    private TestDatasets() {
    }

    public static UUID ready(DataSource db, String name) throws SQLException {
        try (Connection c = db.getConnection()) {
            return ready(c, name);
        }
    }

    public static UUID ingesting(DataSource db, String name) throws SQLException {
        try (Connection c = db.getConnection()) {
            return ingesting(c, name);
        }
    }

    public static UUID ready(Connection c, String name) throws SQLException {
        UUID version = UUID.randomUUID();
        UUID dataset = UUID.randomUUID();
        try (PreparedStatement v = c.prepareStatement("INSERT INTO dataset_versions (id, content_hash, source_format,"
                + " classes, counts, class_counts, channels, height, width, mean, std, shard_location) VALUES"
                + " (?, ?, 'idx', '[\"a\",\"b\"]', '{\"train\":4,\"test\":2}',"
                + " '{\"train\":{\"a\":2,\"b\":2},\"test\":{\"a\":1,\"b\":1}}', 1, 28, 28, '[0.28]', '[0.35]', ?)")) {
            v.setObject(1, version);
            v.setString(2, "test-" + version);
            v.setString(3, "/data/datasets/test-" + version);
            v.executeUpdate();
        }
        insertDataset(c, dataset, name, "READY", version);
        return dataset;
    }

    public static UUID ingesting(Connection c, String name) throws SQLException {
        UUID dataset = UUID.randomUUID();
        insertDataset(c, dataset, name, "INGESTING", null);
        return dataset;
    }

    private static void insertDataset(Connection c, UUID id, String name, String status, UUID version)
            throws SQLException {
        try (PreparedStatement d = c.prepareStatement(
                "INSERT INTO datasets (id, name, source, status, version_id) VALUES (?, ?, '/src', ?, ?)")) {
            d.setObject(1, id);
            d.setString(2, name);
            d.setString(3, status);
            d.setObject(4, version);
            d.executeUpdate();
        }
    }
}
