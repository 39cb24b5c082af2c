package dev.resnetops.trainer.tracking;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The tracking outbox's rows parked after MLflow refused them for good. UP even then: the relay works and the
 * rows behind a parked one flow (its loop's own state is in {@code background-loops}); the parked rows wait for
 * an operator, and this is where {@code ./mlops status} shows them.
 */
@Readiness
@ApplicationScoped
public class TrackingHealthCheck implements HealthCheck {

    /** The check's name in {@code /q/health/ready}. */
    public static final String NAME = "tracking-outbox";

    private final TrackingRelay relay;

    TrackingHealthCheck(TrackingRelay relay) {
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        try {
            long parked = relay.parked();
            response.withData("parked", parked);
            if (parked > 0) {
                response.withData("parkedHint", "rows MLflow refused for good; list and replay them as"
                        + " docs/operations.md (Parked rows) shows");
            }
        } catch (SQLException e) {
            // The datasource check reports the database itself; this one only cannot count.
            response.withData("parked", "unknown: " + e.getMessage());
        }
        return response.build();
    }
}
