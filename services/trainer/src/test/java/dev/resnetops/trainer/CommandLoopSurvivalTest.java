package dev.resnetops.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.loops.BackgroundLoopsHealthCheck;
import dev.resnetops.trainer.service.CrashingJobRunner;
import dev.resnetops.trainer.service.FlakyJobClaimer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * The worker's command loop when a command's handling throws: past the runner (it goes on with the next
 * command, and says so), or in the claim (it retries, and says so while it does).
 */
@QuarkusTest
@TestProfile(CommandLoopSurvivalTest.HandlerCrashes.class)
class CommandLoopSurvivalTest {

    /** Swaps in the runner that crashes for one experiment's jobs. */
    public static class HandlerCrashes implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(CrashingJobRunner.class, FlakyJobClaimer.class);
        }
    }

    @Inject
    AgroalDataSource db;

    @Inject
    @Readiness
    BackgroundLoopsHealthCheck loopsReadiness;

    @Test
    void aCommandWhoseHandlerThrowsAnErrorFailsItsJobShowsInReadinessAndTheLoopTakesTheNextCommand() throws Exception {
        TrainingFixtures.Dataset dataset = TrainingFixtures.tinyDataset(db,
                Path.of("target/test-data").toAbsolutePath());
        UUID crashing = TrainingFixtures.submit(db, dataset, TrainingFixtures.quickConfig(1).build(),
                CrashingJobRunner.CRASHING_EXPERIMENT);
        UUID next = TrainingFixtures.submit(db, dataset, TrainingFixtures.quickConfig(1).build(), "after-a-crash");

        TrainingFixtures.JobRow crashed = TrainingFixtures.awaitState(db, crashing, Duration.ofMinutes(1), "FAILED",
                "COMPLETED");
        assertThat(crashed.reason()).contains("training crashed").contains("UnsatisfiedLinkError")
                .contains("libtorch_cpu.so");
        assertThat(TrainingFixtures.awaitState(db, next, Duration.ofMinutes(3), "COMPLETED", "FAILED").state())
                .as("the command after the crash").isEqualTo("COMPLETED");

        HealthCheckResponse response = loopsReadiness.call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData()).hasValueSatisfying(data -> {
            assertThat(data).containsEntry("training-commands", "RUNNING").containsEntry("lease-reaper", "RUNNING");
            assertThat(data.get("training-commands" + BackgroundLoopsHealthCheck.LAST_FAILURE)).asString()
                    .contains("job " + crashing).contains("UnsatisfiedLinkError: libtorch_cpu.so");
        });
    }

    @Test
    void aClaimThatKeepsFailingShowsInReadinessWhileTheLoopRetriesItUntilTheJobRuns() throws Exception {
        TrainingFixtures.Dataset dataset = TrainingFixtures.tinyDataset(db,
                Path.of("target/test-data").toAbsolutePath());
        UUID job = TrainingFixtures.submit(db, dataset, TrainingFixtures.quickConfig(1).build(),
                FlakyJobClaimer.FLAKY_EXPERIMENT);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String lastFailure = "";
        while (!lastFailure.contains(job.toString()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            lastFailure = loopsReadiness.call().getData()
                    .map(d -> String.valueOf(d.get("training-commands" + BackgroundLoopsHealthCheck.LAST_FAILURE)))
                    .orElse("");
        }
        assertThat(lastFailure).contains("job " + job + ": claiming it")
                .contains("IllegalStateException: the jobs table is locked by a migration");
        assertThat(loopsReadiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        assertThat(TrainingFixtures.awaitState(db, job, Duration.ofMinutes(3), "COMPLETED", "FAILED").state())
                .as("claimed once the failures stop").isEqualTo("COMPLETED");
    }
}
