package dev.resnetops.store.datasets;

import static dev.resnetops.contracts.api.DatasetStatus.FAILED;
import static dev.resnetops.contracts.api.DatasetStatus.INGESTING;
import static dev.resnetops.contracts.api.DatasetStatus.READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.contracts.api.DatasetStatus;
import dev.resnetops.store.TransitionRefusedException;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The dataset status rules: register, then READY or FAILED once. */
class DatasetTransitionTest {

    private static final UUID DATASET = UUID.fromString("00000000-0000-0000-0000-0000000000d5");

    @Test
    void anIngestingDatasetBecomesReadyOrFailed() {
        assertThat(DatasetTransition.require(DATASET, Optional.of(INGESTING), READY)).isEqualTo(DatasetTransition.READY);
        assertThat(DatasetTransition.require(DATASET, Optional.of(INGESTING), FAILED)).isEqualTo(DatasetTransition.FAIL);
        assertThat(DatasetTransition.between(Optional.of(INGESTING), INGESTING)).isEmpty();
    }

    @Test
    void aRowThatDoesNotExistYetIsRegisteredOrCreatedFinished() {
        assertThat(DatasetTransition.require(DATASET, Optional.empty(), INGESTING)).isEqualTo(DatasetTransition.REGISTER);
        assertThat(DatasetTransition.require(DATASET, Optional.empty(), READY))
                .isEqualTo(DatasetTransition.READY_UNREGISTERED);
        assertThat(DatasetTransition.require(DATASET, Optional.empty(), FAILED))
                .isEqualTo(DatasetTransition.FAIL_UNREGISTERED);
    }

    @Test
    void readyAndFailedAreFinal() {
        for (DatasetStatus end : new DatasetStatus[] {READY, FAILED}) {
            for (DatasetStatus to : DatasetStatus.values()) {
                assertThat(DatasetTransition.between(Optional.of(end), to)).as(end + " -> " + to).isEmpty();
            }
        }
    }

    @Test
    void aRefusalNamesTheDatasetAndBothStatuses() {
        assertThatThrownBy(() -> DatasetTransition.require(DATASET, Optional.of(READY), FAILED))
                .isInstanceOf(TransitionRefusedException.class)
                .hasMessage("dataset " + DATASET + " cannot move from READY to FAILED (READY is final)");
        assertThatThrownBy(() -> DatasetTransition.require(DATASET, Optional.of(INGESTING), INGESTING))
                .hasMessage("dataset " + DATASET + " cannot move from INGESTING to INGESTING (from INGESTING it may"
                        + " only become READY or FAILED)");
    }
}
