package dev.resnetops.orchestrator.config;

import dev.resnetops.tracking.MlflowAccount;
import dev.resnetops.tracking.MlflowClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;

/** The MLflow client of the model registry operations (promotion). */
@ApplicationScoped
public class MlflowClientProducer {

    @Produces
    @ApplicationScoped
    MlflowClient mlflow(OrchestratorConfig config) {
        MlflowClient.Builder builder = MlflowClient.builder().setServer(URI.create(config.mlflowUrl()));
        MlflowAccount.of(config.mlflowUser(), config.mlflowPassword(), MlflowAccount.USER_VARIABLE,
                MlflowAccount.PASSWORD_VARIABLE).ifPresent(builder::optAccount);
        return builder.build();
    }
}
