package dev.resnetops.loops;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the process's background loops: one data entry per loop, named as the loop, with its state
 * (and the error or the time without progress when it is not plain RUNNING). DOWN when any loop is DEAD,
 * STUCK, not started yet or stopped; RESTARTING is still UP, since that is a loop outlasting an outage.
 * A loop that survived a failed item (a command whose handler threw) adds an entry {@code <loop>.lastFailure}
 * with its time and error, and stays UP: it goes on with the next item.
 */
@Readiness
@ApplicationScoped
public class BackgroundLoopsHealthCheck implements HealthCheck {

    /** The check's name in {@code /q/health/ready}. */
    public static final String NAME = "background-loops";
    /** Suffix of the entry with a loop's last failed item. */
    public static final String LAST_FAILURE = ".lastFailure";

    private final BackgroundLoops loops;

    BackgroundLoopsHealthCheck(BackgroundLoops loops) {
        this.loops = loops;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        boolean ready = true;
        for (LoopHealth loop : loops.health()) {
            response.withData(loop.name(), loop.summary());
            if (loop.lastItemFailure() != null) {
                response.withData(loop.name() + LAST_FAILURE, loop.lastItemFailure());
            }
            ready &= loop.state().ready();
        }
        return response.status(ready).build();
    }
}
