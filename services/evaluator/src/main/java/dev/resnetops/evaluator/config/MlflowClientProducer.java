package dev.resnetops.evaluator.config;

import dev.resnetops.tracking.MlflowAccount;
import dev.resnetops.tracking.MlflowClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;
import java.net.URI;

/** One MLflow client for the service; the server may be down at start, the client does not mind. */
@ApplicationScoped
public class MlflowClientProducer {

    @Produces
    @Singleton // MlflowClient is final: no client proxy, and it is thread-safe anyway
    MlflowClient mlflow(EvaluatorConfig config) {
        MlflowClient.Builder builder = MlflowClient.builder().setServer(URI.create(config.mlflowUrl()));
        MlflowAccount.of(config.mlflowUser(), config.mlflowPassword(), MlflowAccount.USER_VARIABLE,
                MlflowAccount.PASSWORD_VARIABLE).ifPresent(builder::optAccount);
        return builder.build();
    }
}
