package dev.resnetops.inference.observability;

import dev.resnetops.contracts.stream.ServedModel;
import dev.resnetops.inference.model.ModelHolder;
import dev.resnetops.inference.model.ModelWatcher;
import dev.resnetops.inference.stream.ImageStreamLoop;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a model is loaded: before that, REST would only answer 503. A registry outage after that
 * is reported ({@code registry}) but keeps it UP: the loaded version goes on answering. The stream's
 * state is repeated here for the CLI; whether the stream consumes is {@link StreamReadinessCheck}'s to say.
 */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {

    private final ModelHolder models;
    private final ModelWatcher watcher;
    private final ImageStreamLoop stream;

    ModelReadinessCheck(ModelHolder models, ModelWatcher watcher, ImageStreamLoop stream) {
        this.models = models;
        this.watcher = watcher;
        this.stream = stream;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<ServedModel> served = models.served();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("model").status(served.isPresent())
                .withData("stream", stream.state().name());
        served.ifPresent(m -> response.withData("model", m.name()).withData("alias", m.alias())
                .withData("version", m.version()).withData("sha256", m.sha256()).withData("preset", m.preset()));
        if (served.isEmpty()) {
            response.withData("waiting", models.waitingReason());
        }
        if (watcher.lastProblem() != null) {
            response.withData("registry", watcher.lastProblem());
        }
        if (stream.lastError() != null) {
            response.withData("streamError", stream.lastError());
        }
        return response.build();
    }
}
