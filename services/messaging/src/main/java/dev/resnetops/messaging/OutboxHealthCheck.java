package dev.resnetops.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the relay has reached Kafka recently (or is disabled on purpose). Shows the backlog, so
 * "messages are not arriving" is answered by one look at {@code /q/health}, and the rows parked after failing
 * permanently, which wait for an operator.
 */
@Readiness
@ApplicationScoped
public class OutboxHealthCheck implements HealthCheck {

    private static final Duration STALE = Duration.ofSeconds(30);

    private final OutboxRelay relay;

    OutboxHealthCheck(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("outbox-relay");
        if (!relay.enabled()) {
            return response.up().withData("relay", "disabled").build();
        }
        Instant last = relay.lastSuccess();
        boolean fresh = last != null && Duration.between(last, Instant.now()).compareTo(STALE) < 0;
        response.status(fresh);
        try {
            response.withData("pending", relay.pending());
            long parked = relay.parked();
            if (parked > 0) {
                // Not DOWN: the relay works and the rows behind flow; the parked rows wait for an operator.
                response.withData("parked", parked);
                response.withData("parkedHint", "rows that failed permanently; list and replay them as"
                        + " docs/operations.md (Parked rows) shows");
            }
        } catch (RuntimeException e) {
            // Database down: report it as this check's state instead of failing the health endpoint.
            response.down().withData("pending", "unknown: " + e.getMessage());
        }
        if (last != null) {
            response.withData("lastSuccess", last.toString());
        }
        if (relay.lastError() != null) {
            response.withData("lastError", relay.lastError());
        }
        return response.build();
    }
}
