package dev.resnetops.orchestrator.config;

import dev.resnetops.tracking.MlflowClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The MLflow client of the model registry operations (promotion). */
@ApplicationScoped
public class MlflowClientProducer {

    @Produces
    @ApplicationScoped
    MlflowClient mlflow(@ConfigProperty(name = "mlops.mlflow-url") String url) {
        return MlflowClient.builder().setServer(URI.create(url)).build();
    }
}
