package dev.resnetops.store.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.store.StoreFixtures;
import dev.resnetops.store.TransitionRefusedException;
import dev.resnetops.store.datasets.DatasetStore;
import dev.resnetops.store.jobs.JobStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Model versions and their aliases on the real PostgreSQL and schema. */
@QuarkusTest
class ModelStoreTest {

    @Inject
    ModelStore models;

    @Inject
    JobStore jobs;

    @Inject
    DatasetStore datasets;

    @Inject
    AgroalDataSource db;

    @Test
    void anAliasMovesBetweenVersionsThatPassedTheParityGateOnly() throws Exception {
        String model = "resnetops-store-" + UUID.randomUUID().toString().substring(0, 8);
        StoreFixtures.ReadyDataset dataset = StoreFixtures.readyDataset(datasets);
        register(model, 1, true, dataset);
        register(model, 2, false, dataset);
        register(model, 3, true, dataset);

        QuarkusTransaction.requiringNew().run(() -> models.moveAlias(model, ModelAliasRule.CANDIDATE, 1));
        QuarkusTransaction.requiringNew().run(() -> models.moveAlias(model, ModelAliasRule.CHAMPION, 1));
        QuarkusTransaction.requiringNew().run(() -> models.moveAlias(model, ModelAliasRule.CANDIDATE, 3));

        assertThat(aliasVersion(model, ModelAliasRule.CANDIDATE)).contains(3);
        assertThat(aliasVersion(model, ModelAliasRule.CHAMPION)).contains(1);
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() ->
                models.moveAlias(model, ModelAliasRule.CHAMPION, 2)))
                .isInstanceOf(TransitionRefusedException.class).hasMessageContaining("failed the parity gate");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() ->
                models.moveAlias(model, ModelAliasRule.CHAMPION, 7)))
                .isInstanceOf(TransitionRefusedException.class).hasMessageContaining("has no such version");
        assertThat(aliasVersion(model, ModelAliasRule.CHAMPION)).as("unchanged by the refusals").contains(1);
    }

    @Test
    void aVersionIsRecordedWithItsOnnxHashWhichNeverChangesAfterwards() throws Exception {
        String model = "resnetops-store-" + UUID.randomUUID().toString().substring(0, 8);
        register(model, 1, true, StoreFixtures.readyDataset(datasets));

        assertThat(recordedHash(model, 1)).contains("ab".repeat(32));
        for (String change : new String[] {
                "UPDATE model_integrity SET onnx_sha256 = '" + "cd".repeat(32) + "' WHERE registered_model = ?",
                "DELETE FROM model_integrity WHERE registered_model = ?"}) {
            try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(change)) {
                q.setString(1, model);
                assertThatThrownBy(q::executeUpdate).hasMessageContaining("model_integrity is append-only");
            }
        }
        assertThat(recordedHash(model, 1)).contains("ab".repeat(32));
    }

    @Test
    void aVersionIsNotRecordedOutsideATransaction() {
        assertThatThrownBy(() -> models.insertVersion(new NewModelVersion(UUID.randomUUID(), "resnetops-store-x", 1,
                UUID.randomUUID(), UUID.randomUUID(), "/data/m.onnx", "ab".repeat(32), 1234, "def", true, "{}", 0.9, 0.99)))
                .hasMessageContaining("recording model version resnetops-store-x v1");
    }

    private Optional<String> recordedHash(String model, int version) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT onnx_sha256 FROM model_integrity"
                     + " WHERE registered_model = ? AND version = ?")) {
            q.setString(1, model);
            q.setInt(2, version);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private void register(String model, int version, boolean parityPassed, StoreFixtures.ReadyDataset dataset) {
        UUID job = StoreFixtures.queuedJob(jobs, dataset);
        QuarkusTransaction.requiringNew().run(() -> models.insertVersion(new NewModelVersion(UUID.randomUUID(), model,
                version, job, dataset.versionId(), "/data/m.onnx", "ab".repeat(32), 1234, "def", parityPassed,
                "{\"passed\": " + parityPassed + "}", 0.9, 0.99)));
    }

    private Optional<Integer> aliasVersion(String model, String alias) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT v.version FROM model_aliases a JOIN model_versions v"
                     + " ON v.id = a.model_version_id WHERE a.registered_model = ? AND a.alias = ?")) {
            q.setString(1, model);
            q.setString(2, alias);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }
}
