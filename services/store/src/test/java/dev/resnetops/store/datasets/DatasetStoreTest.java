package dev.resnetops.store.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.contracts.api.Problem;
import dev.resnetops.store.TransitionRefusedException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Dataset registrations and versions on the real PostgreSQL and schema. */
@QuarkusTest
class DatasetStoreTest {

    @Inject
    DatasetStore datasets;

    @Test
    void aRegistrationIngestsThenBecomesReadyOnItsVersionOnce() {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> datasets.register(id, "cats", "/src/cats"));
        assertThat(datasets.status(id)).contains(DatasetStatus.INGESTING);

        UUID version = QuarkusTransaction.requiringNew().call(() -> {
            UUID v = datasets.insertVersion(version("hash-" + UUID.randomUUID()));
            datasets.markReady(id, "cats", "/src/cats", v, List.of(new Problem("a/1.png", "not an image")));
            return v;
        });

        assertThat(datasets.status(id)).contains(DatasetStatus.READY);
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() ->
                datasets.markFailed(id, "cats", "/src/cats", "late failure")))
                .isInstanceOf(TransitionRefusedException.class)
                .hasMessage("dataset " + id + " cannot move from READY to FAILED (READY is final)");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() ->
                datasets.markReady(id, "cats", "/src/cats", version, List.of())))
                .as("a redelivered command").isInstanceOf(TransitionRefusedException.class);
        assertThat(datasets.status(id)).contains(DatasetStatus.READY);
    }

    @Test
    void aCommandWithoutARegistrationCreatesTheRowFinished() {
        UUID id = UUID.randomUUID();

        QuarkusTransaction.requiringNew().run(() -> datasets.markFailed(id, "by-hand", "/src/by-hand", "no such file"));

        assertThat(datasets.status(id)).contains(DatasetStatus.FAILED);
    }

    @Test
    void theSameContentIsOneVersion() {
        String hash = "hash-" + UUID.randomUUID();
        UUID first = QuarkusTransaction.requiringNew().call(() -> datasets.insertVersion(version(hash)));
        UUID second = QuarkusTransaction.requiringNew().call(() -> datasets.insertVersion(version(hash)));

        assertThat(second).isEqualTo(first);
        assertThat(datasets.versionByHash(hash)).hasValueSatisfying(v -> assertThat(v.id()).isEqualTo(first));
    }

    @Test
    void aStatusChangeOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> datasets.markFailed(UUID.randomUUID(), "x", "/src/x", "boom"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs an active transaction");
    }

    private static NewDatasetVersion version(String hash) {
        return new NewDatasetVersion(hash, "image-folder", List.of("cat", "dog"), Map.of("train", 2),
                Map.of("train", Map.of("cat", 1, "dog", 1)), 3, 8, 8, List.of(0.5, 0.5, 0.5), List.of(0.2, 0.2, 0.2),
                "/data/shards/" + hash, List.of());
    }
}
