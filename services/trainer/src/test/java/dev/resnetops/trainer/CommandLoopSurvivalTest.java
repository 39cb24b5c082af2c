package dev.resnetops.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.loops.BackgroundLoopsHealthCheck;
import dev.resnetops.trainer.service.CrashingJobRunner;
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

/** The worker's command loop when a command's handling throws past the runner: it goes on, and says so. */
@QuarkusTest
@TestProfile(CommandLoopSurvivalTest.HandlerCrashes.class)
class CommandLoopSurvivalTest {

    /** Swaps in the runner that crashes for one experiment's jobs. */
    public static class HandlerCrashes implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(CrashingJobRunner.class);
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
}
