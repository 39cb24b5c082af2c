package dev.resnetops.tracking;

import java.net.URI;
import java.util.UUID;

/** The real MLflow server the integration tests talk to: {@code MLOPS_MLFLOW_URL}, as {@code ./mlops test} exports it. */
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

    static MlflowClient client() {
        return MlflowClient.builder().setServer(serverUri()).build();
    }

    /** A name no earlier test run on the same server has used. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }
}
