package dev.resnetops.evaluator.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the consumer loop runs. Shows what it is doing: the partitions it reads, the job being
 * evaluated, and why the head event is being retried (MLflow down, run not created yet), so "why is my
 * model not registered" is one look at {@code /q/health}.
 */
@Readiness
@ApplicationScoped
public class EvaluatorHealthCheck implements HealthCheck {

    private final TrainingEventsLoop loop;

    EvaluatorHealthCheck(TrainingEventsLoop loop) {
        this.loop = loop;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("training-events-consumer")
                .status(loop.running())
                .withData("partitions", loop.assignedPartitions().size());
        if (loop.currentJob() != null) {
            response.withData("evaluating", loop.currentJob().toString());
        }
        if (loop.lastRetryReason() != null) {
            response.withData("retrying", loop.lastRetryReason());
        }
        return response.build();
    }
}
