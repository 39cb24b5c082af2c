package dev.resnetops.tracking;

import java.net.URI;
import java.util.UUID;

/**
 * The real MLflow server the integration tests talk to: {@code MLOPS_MLFLOW_URL}, as {@code ./mlops test} exports it,
 * with its admin account ({@code MLOPS_MLFLOW_USER}/{@code _PASSWORD}) or a service account
 * ({@code MLOPS_MLFLOW_<SERVICE>_USER}/{@code _PASSWORD}) from the same infra.env.
 */
final class TestMlflow {

    private TestMlflow() {
    }

    static URI serverUri() {
        String url = System.getenv("MLOPS_MLFLOW_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("MLOPS_MLFLOW_URL is not set: these tests need a real MLflow server. Run them with "
                    + "`./mlops test -pl services/tracking`, or start one (`./mlops up --infra-only`) and export "
                    + "MLOPS_MLFLOW_URL=http://127.0.0.1:<port> (see services/tracking/README.md)");
        }
        return URI.create(url);
    }

    /** A client of the admin account. */
    static MlflowClient client() {
        MlflowClient.Builder builder = MlflowClient.builder().setServer(serverUri());
        MlflowAccount.fromEnvironment().ifPresent(builder::optAccount);
        return builder.build();
    }

    /** A client of the service account of {@code service} (trainer, evaluator, orchestrator, inference). */
    static MlflowClient clientOf(String service) {
        return MlflowClient.builder().setServer(serverUri()).optAccount(account(service)).build();
    }

    static MlflowAccount account(String service) {
        String prefix = "MLOPS_MLFLOW_" + service.toUpperCase(java.util.Locale.ROOT);
        return MlflowAccount.of(java.util.Optional.ofNullable(System.getenv(prefix + "_USER")),
                        java.util.Optional.ofNullable(System.getenv(prefix + "_PASSWORD")), prefix + "_USER", prefix + "_PASSWORD")
                .orElseThrow(() -> new IllegalStateException(prefix + "_USER is not set: run the tests with ./mlops test,"
                        + " whose infra.env has the MLflow service accounts"));
    }

    /** A name no earlier test run on the same server has used. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }
}
