package dev.resnetops.tracking;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness's MLflow runs its basic-auth app: who is refused, and that the refusal says who and what. */
class MlflowAuthenticationTest {

    private final MlflowClient admin = TestMlflow.client();

    @Test
    void refusesARequestWithoutCredentials() {
        MlflowClient anonymous = MlflowClient.builder().setServer(TestMlflow.serverUri()).build();

        assertThatThrownBy(() -> anonymous.experimentIdFor(TestMlflow.unique("tracking-anonymous")))
                .isInstanceOf(MlflowAccessDeniedException.class)
                .isNotInstanceOf(MlflowUnavailableException.class)
                .hasMessageContaining("get-experiment-by-name")
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("no account")
                .satisfies(e -> assertThat(((MlflowAccessDeniedException) e).account()).isNull());
    }

    @Test
    void refusesAWrongPasswordNamingTheAccountButNotThePassword() {
        String wrong = "not-the-password-" + TestMlflow.unique("x");
        MlflowClient impostor = MlflowClient.builder().setServer(TestMlflow.serverUri())
                .optBasicAuth(TestMlflow.account("trainer").user(), wrong).build();

        assertThatThrownBy(() -> impostor.searchRuns(List.of("0"), "", 1))
                .isInstanceOf(MlflowAccessDeniedException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("account 'trainer'")
                .hasMessageContaining("MLOPS_MLFLOW_PASSWORD")
                .hasMessageNotContaining(wrong);
    }

    @Test
    void refusesAWriteByTheReadOnlyInferenceAccount() {
        String experimentId = admin.experimentIdFor(TestMlflow.unique("tracking-read-only"));
        RunInfo run = admin.createRun(experimentId, "written-by-admin", Instant.now(), Map.of());
        MlflowClient inference = TestMlflow.clientOf("inference");

        assertThat(inference.getRun(run.runId()).info().runId()).isEqualTo(run.runId());
        assertThatThrownBy(() -> inference.logBatch(run.runId(),
                List.of(new Metric("forged", 1.0, System.currentTimeMillis(), 0)), List.of(), List.of()))
                .isInstanceOf(MlflowAccessDeniedException.class)
                .hasMessageContaining("log-batch for run " + run.runId())
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("account 'inference' lacks the permission");
        assertThatThrownBy(() -> inference.finishRun(run.runId(), RunStatus.FAILED, Instant.now()))
                .isInstanceOf(MlflowAccessDeniedException.class);
        assertThat(admin.getRun(run.runId()).latestMetrics()).doesNotContainKey("forged");
    }

    @Test
    void refusesAliasMovesByTheTrainerAccount() {
        String model = TestMlflow.unique("tracking-guarded");
        String experimentId = admin.experimentIdFor(TestMlflow.unique("tracking-guarded"));
        RunInfo run = admin.createRun(experimentId, "v1", Instant.now(), Map.of());
        admin.createRegisteredModel(model, Map.of(), null);
        admin.createModelVersion(model, run.artifactSource("model"), run.runId(), Map.of(), null);

        assertThatThrownBy(() -> TestMlflow.clientOf("trainer").setAlias(model, "champion", "1"))
                .isInstanceOf(MlflowAccessDeniedException.class)
                .hasMessageContaining("account 'trainer'");
        assertThat(admin.versionByAlias(model, "champion")).isEmpty();
    }
}
