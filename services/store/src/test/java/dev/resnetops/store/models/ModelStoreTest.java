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

    private void register(String model, int version, boolean parityPassed, StoreFixtures.ReadyDataset dataset) {
        UUID job = StoreFixtures.queuedJob(jobs, dataset);
        QuarkusTransaction.requiringNew().run(() -> models.insertVersion(new NewModelVersion(UUID.randomUUID(), model,
                version, job, dataset.versionId(), "/data/m.onnx", "abc", "def", parityPassed,
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
