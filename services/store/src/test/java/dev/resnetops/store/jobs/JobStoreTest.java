package dev.resnetops.store.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.messages.StartTraining;
import dev.resnetops.store.StoreFixtures;
import dev.resnetops.store.TransitionRefusedException;
import dev.resnetops.store.datasets.DatasetStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Job transitions on the real PostgreSQL and schema, each in a real JTA transaction as the services run them. */
@QuarkusTest
class JobStoreTest {

    private static final Duration LEASE = Duration.ofMinutes(1);
    /** A lease that has run out by the time the next statement reads it: a worker that died. */
    private static final Duration DEAD = Duration.ofMillis(1);

    @Inject
    JobStore jobs;

    @Inject
    DatasetStore datasets;

    @Inject
    AgroalDataSource db;

    private StoreFixtures.ReadyDataset dataset;

    @BeforeEach
    void dataset() {
        dataset = StoreFixtures.readyDataset(datasets);
    }

    @Test
    void aSubmittedJobIsQueuedWithItsFirstHistoryEntry() throws Exception {
        UUID job = StoreFixtures.queuedJob(jobs, dataset);

        JobSnapshot snapshot = jobs.snapshot(job).orElseThrow();
        assertThat(snapshot.state()).isEqualTo(JobState.QUEUED);
        assertThat(snapshot.attempt()).isZero();
        assertThat(snapshot.leaseExpired()).isTrue();
        assertThat(StoreFixtures.history(db, job)).containsExactly("QUEUED: submitted");
    }

    @Test
    void aClaimLeasesTheJobToOneWorkerUntilItsLeaseRunsOut() throws Exception {
        UUID job = StoreFixtures.queuedJob(jobs, dataset);

        assertThat(claim(job, "worker-a", LEASE)).contains(1);
        assertThat(claim(job, "worker-b", LEASE)).as("a live lease keeps other workers out").isEmpty();
        assertThat(claim(job, "worker-a", LEASE)).as("the holder takes a redelivered command").contains(2);

        JobSnapshot held = jobs.snapshot(job).orElseThrow();
        assertThat(held.state()).isEqualTo(JobState.RUNNING);
        assertThat(held.leaseOwner()).isEqualTo("worker-a");
        assertThat(StoreFixtures.history(db, job)).containsExactly("QUEUED: submitted",
                "RUNNING: worker-a attempt 1", "RUNNING: worker-a attempt 2");
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheDeadHoldersWritesAreIgnored() throws Exception {
        UUID job = StoreFixtures.queuedJob(jobs, dataset);
        claim(job, "worker-a", DEAD);
        Thread.sleep(20);

        assertThat(claim(job, "worker-b", LEASE)).contains(2);
        assertThat(jobs.renewLease(job, "worker-a", LEASE)).as("the old holder's heartbeat").isFalse();
        assertThat(QuarkusTransaction.requiringNew().call(() -> jobs.finish(job, "worker-a", JobState.COMPLETED,
                "late", null))).isFalse();
        assertThat(QuarkusTransaction.requiringNew().call(() -> jobs.requeue(job, "worker-a", "late"))).isEmpty();
        assertThat(jobs.snapshot(job).orElseThrow().leaseOwner()).isEqualTo("worker-b");
        assertThat(jobs.renewLease(job, "worker-b", LEASE)).isTrue();
    }

    @Test
    void aLeaseThatLapsedWithinALeaseOfTheDatabasesStartIsLeftForItsWorkerToRenew() throws Exception {
        UUID job = StoreFixtures.queuedJob(jobs, dataset);
        claim(job, "worker-a", DEAD);
        Thread.sleep(20);

        // The test server started less than a day ago: as far as a one-day lease can tell, it has just restarted.
        assertThat(QuarkusTransaction.requiringNew().call(() -> jobs.lockExpired(1_000, Duration.ofDays(1))))
                .extracting(ExpiredLease::jobId).doesNotContain(job);
        assertThat(jobs.renewLease(job, "worker-a", LEASE)).as("its worker, back after the outage").isTrue();
        assertThat(QuarkusTransaction.requiringNew().call(() -> jobs.lockExpired(1_000, Duration.ZERO)))
                .extracting(ExpiredLease::jobId).doesNotContain(job);
    }

    @Test
    void theReaperRequeuesAnExpiredJobWithItsStartTrainingCommand() {
        UUID job = StoreFixtures.queuedJob(jobs, dataset);
        claim(job, "worker-a", DEAD);

        Optional<StartTraining> command = QuarkusTransaction.requiringNew().call(() -> {
            Thread.sleep(20);
            assertThat(jobs.lockExpired(1_000)).extracting(ExpiredLease::jobId).contains(job);
            return jobs.requeue(job, "worker-a", "worker-a stopped renewing its lease");
        });

        assertThat(command).hasValueSatisfying(c -> {
            assertThat(c.jobId()).isEqualTo(job);
            assertThat(c.datasetVersionId()).isEqualTo(dataset.versionId());
            assertThat(c.shardLocation()).isEqualTo(dataset.shards());
            assertThat(c.config().path("epochs").asInt()).isEqualTo(2);
            assertThat(c.experiment()).isEqualTo("store-tests");
        });
        JobSnapshot queued = jobs.snapshot(job).orElseThrow();
        assertThat(queued.state()).isEqualTo(JobState.QUEUED);
        assertThat(queued.leaseOwner()).isNull();
        assertThat(claim(job, "worker-b", LEASE)).as("the next worker resumes it").contains(2);
    }

    @Test
    void theHolderEndsItsRunAndAFinishedJobRefusesEveryFurtherChange() throws Exception {
        UUID job = StoreFixtures.queuedJob(jobs, dataset);
        claim(job, "worker-a", LEASE);

        assertThat(QuarkusTransaction.requiringNew().call(() -> jobs.finish(job, "worker-a", JobState.COMPLETED,
                "2 epochs", "/data/jobs/x/checkpoint"))).isTrue();

        JobSnapshot done = jobs.snapshot(job).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.leaseOwner()).isNull();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> jobs.cancelQueued(job, "too late")))
                .isInstanceOf(TransitionRefusedException.class)
                .hasMessage("job " + job + " cannot move from COMPLETED to CANCELLED (COMPLETED is final)");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> jobs.finish(job, "worker-a",
                JobState.FAILED, "again", null))).isInstanceOf(TransitionRefusedException.class);
        assertThatThrownBy(() -> claim(job, "worker-b", LEASE)).isInstanceOf(TransitionRefusedException.class);
        assertThat(jobs.snapshot(job).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(StoreFixtures.history(db, job)).last().isEqualTo("COMPLETED: 2 epochs");
    }

    @Test
    void aQueuedJobIsCancelledAtOnceARunningOneIsAskedToStop() {
        UUID queued = StoreFixtures.queuedJob(jobs, dataset);
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> jobs.requestCancel(queued)))
                .isInstanceOf(TransitionRefusedException.class).hasMessageContaining("from QUEUED to CANCELLED");
        QuarkusTransaction.requiringNew().run(() -> jobs.cancelQueued(queued, "cancelled by request"));
        assertThat(jobs.snapshot(queued).orElseThrow().state()).isEqualTo(JobState.CANCELLED);

        UUID running = StoreFixtures.queuedJob(jobs, dataset);
        claim(running, "worker-a", LEASE);
        QuarkusTransaction.requiringNew().run(() -> jobs.requestCancel(running));
        JobSnapshot flagged = jobs.snapshot(running).orElseThrow();
        assertThat(flagged.state()).isEqualTo(JobState.RUNNING);
        assertThat(flagged.cancelRequested()).isTrue();
        assertThat(claim(running, "worker-a", LEASE)).as("no claim while a cancel is pending").isEmpty();
    }

    @Test
    void aJobWhoseWorkerDiedWithACancelPendingIsCancelledByTheReaper() throws Exception {
        UUID live = StoreFixtures.queuedJob(jobs, dataset);
        claim(live, "worker-a", LEASE);
        QuarkusTransaction.requiringNew().run(() -> jobs.requestCancel(live));
        assertThat(QuarkusTransaction.requiringNew().call(() -> jobs.cancelAbandoned(live, "worker gone")))
                .as("its worker is alive and stops it itself").isFalse();

        UUID abandoned = StoreFixtures.queuedJob(jobs, dataset);
        claim(abandoned, "worker-a", DEAD);
        QuarkusTransaction.requiringNew().run(() -> jobs.requestCancel(abandoned));
        Thread.sleep(20);
        boolean cancelled = QuarkusTransaction.requiringNew().call(() -> {
            assertThat(jobs.lockExpired(1_000)).filteredOn(e -> e.jobId().equals(abandoned)).singleElement()
                    .satisfies(e -> assertThat(e.cancelRequested()).isTrue());
            return jobs.cancelAbandoned(abandoned, "cancelled while its worker was gone");
        });

        assertThat(cancelled).isTrue();
        assertThat(jobs.snapshot(abandoned).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(StoreFixtures.history(db, abandoned)).last().isEqualTo("CANCELLED: cancelled while its worker was gone");
    }

    @Test
    void aCommandThatCannotRunFailsTheQueuedJob() {
        UUID job = StoreFixtures.queuedJob(jobs, dataset);

        QuarkusTransaction.requiringNew().run(() -> jobs.reject(job, "its configuration does not decode"));

        assertThat(jobs.snapshot(job).orElseThrow().state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void aStateChangeOutsideATransactionIsRefused() {
        UUID job = StoreFixtures.queuedJob(jobs, dataset);

        assertThatThrownBy(() -> jobs.claim(job, "worker-a", "cpu", LEASE, n -> "attempt " + n))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs an active transaction");
        assertThat(jobs.snapshot(job).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void anUnknownJobIsNamedInTheError() {
        UUID unknown = UUID.randomUUID();
        assertThat(jobs.snapshot(unknown)).isEmpty();
        assertThatThrownBy(() -> claim(unknown, "worker-a", LEASE)).hasMessageContaining("no job " + unknown);
    }

    private Optional<Integer> claim(UUID job, String worker, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> jobs.claim(job, worker, "cpu", lease,
                n -> worker + " attempt " + n));
    }
}
