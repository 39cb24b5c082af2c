package dev.resnetops.inference.observability;

import dev.resnetops.inference.stream.ImageStreamLoop;
import dev.resnetops.inference.stream.StreamState;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while the image stream is on but not consuming: waiting for a model, between two sessions (the
 * broker is away, the producer was fenced, a session ended with an Error) or stuck. The background-loops
 * check stays UP while the stream's loop restarts, since that is a loop outlasting an outage; but images
 * then pile up on the topic unanswered, and an orchestrator or load balancer must see that from the
 * status, not from a note in the data. UP when the stream is off on this instance (REST only).
 */
@Readiness
@ApplicationScoped
public class StreamReadinessCheck implements HealthCheck {

    /** The check's name in {@code /q/health/ready}. */
    public static final String NAME = "image-stream";

    private final ImageStreamLoop stream;

    StreamReadinessCheck(ImageStreamLoop stream) {
        this.stream = stream;
    }

    @Override
    public HealthCheckResponse call() {
        StreamState state = stream.state();
        boolean up = state == StreamState.DISABLED || stream.consuming();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(up).withData("state", state.name());
        if (stream.lastError() != null) {
            response.withData("error", stream.lastError());
        }
        return response.build();
    }
}
