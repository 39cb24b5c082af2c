package dev.resnetops.store.jobs;

import static dev.resnetops.contracts.api.JobState.CANCELLED;
import static dev.resnetops.contracts.api.JobState.COMPLETED;
import static dev.resnetops.contracts.api.JobState.FAILED;
import static dev.resnetops.contracts.api.JobState.QUEUED;
import static dev.resnetops.contracts.api.JobState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.contracts.api.JobState;
import dev.resnetops.store.TransitionRefusedException;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The job state machine as a table: what each state may become, and how a refusal reads. */
class JobTransitionTest {

    private static final UUID JOB = UUID.fromString("00000000-0000-0000-0000-000000000042");

    @Test
    void aQueuedJobIsClaimedCancelledOrRejected() {
        assertThat(JobTransition.targets(QUEUED)).containsExactlyInAnyOrder(RUNNING, CANCELLED, FAILED);
        assertThat(JobTransition.between(QUEUED, RUNNING)).contains(JobTransition.CLAIM);
        assertThat(JobTransition.between(QUEUED, CANCELLED)).contains(JobTransition.CANCEL_QUEUED);
        assertThat(JobTransition.between(QUEUED, FAILED)).contains(JobTransition.REJECT);
        assertThat(JobTransition.between(QUEUED, COMPLETED)).isEmpty();
    }

    @Test
    void aRunningJobIsTakenOverRequeuedOrEnds() {
        assertThat(JobTransition.targets(RUNNING)).containsExactlyInAnyOrder(RUNNING, QUEUED, COMPLETED, FAILED,
                CANCELLED);
        assertThat(JobTransition.between(RUNNING, RUNNING)).contains(JobTransition.TAKE_OVER);
        assertThat(JobTransition.between(RUNNING, QUEUED)).contains(JobTransition.REQUEUE);
    }

    @Test
    void finalStatesHaveNoWayOut() {
        for (JobState end : EnumSet.of(COMPLETED, FAILED, CANCELLED)) {
            assertThat(JobTransition.targets(end)).as(end.name()).isEmpty();
            for (JobState to : JobState.values()) {
                assertThat(JobTransition.between(end, to)).as(end + " -> " + to).isEmpty();
            }
        }
    }

    @Test
    void everyTransitionIsTheOnlyOneBetweenItsStates() {
        for (JobTransition t : JobTransition.values()) {
            assertThat(JobTransition.between(t.from(), t.to())).contains(t);
        }
    }

    @Test
    void aRunEndsCompletedFailedOrCancelledOnly() {
        assertThat(JobTransition.endOfRun(COMPLETED)).isEqualTo(JobTransition.COMPLETE);
        assertThat(JobTransition.endOfRun(FAILED)).isEqualTo(JobTransition.FAIL);
        assertThat(JobTransition.endOfRun(CANCELLED)).isEqualTo(JobTransition.CANCEL_RUNNING);
        assertThatThrownBy(() -> JobTransition.endOfRun(QUEUED)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefusalNamesTheJobWhereItIsWhereItWasAskedToGoAndWhy() {
        assertThatThrownBy(() -> JobTransition.COMPLETE.check(JOB, CANCELLED))
                .isInstanceOf(TransitionRefusedException.class)
                .hasMessage("job " + JOB + " cannot move from CANCELLED to COMPLETED (CANCELLED is final)");
        assertThatThrownBy(() -> JobTransition.REQUEUE.check(JOB, QUEUED))
                .hasMessage("job " + JOB + " cannot move from QUEUED to QUEUED (from QUEUED it may only become"
                        + " RUNNING or FAILED or CANCELLED)");
    }

    @Test
    void aTransitionFromItsOwnStateIsAllowed() {
        for (JobTransition t : JobTransition.values()) {
            t.check(JOB, t.from());
        }
    }
}
