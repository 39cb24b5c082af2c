package dev.resnetops.trainer.service;

import dev.resnetops.store.DatabaseOutage;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs a step of a job that must reach PostgreSQL (record an epoch, record the job's end, read its run)
 * again and again while PostgreSQL is away, with a doubling pause and a log line naming what waits, so an
 * outage delays the job instead of failing it or leaving it to the lease reaper. The steps it runs are
 * idempotent (an epoch already recorded is not recorded again; an end the store already has is refused),
 * so a retry after a commit whose answer was lost duplicates nothing. Failures that are not an outage
 * pass through at once. On shutdown it stops waiting: the checkpoint and the lease reaper cover what is
 * left unrecorded.
 */
@ApplicationScoped
public class UntilDatabaseAnswers {

    private static final Logger LOG = Logger.getLogger(UntilDatabaseAnswers.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    /** Short enough that a job goes on within seconds of PostgreSQL's return, long enough not to flood the log. */
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

    private volatile boolean stopping;

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping = true;
    }

    /** Runs {@code step}, retried while PostgreSQL is away; {@code what} completes "waiting for PostgreSQL to ...". */
    public <T> T call(String what, Supplier<T> step) {
        Duration pause = FIRST_PAUSE;
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                T result = step.get();
                if (attempt > 1) {
                    LOG.infof("PostgreSQL is back: %s done after %d attempts in %d s", what, attempt,
                            Duration.ofNanos(System.nanoTime() - started).toSeconds());
                }
                return result;
            } catch (RuntimeException e) {
                if (stopping || !DatabaseOutage.isOutage(e)) {
                    throw e;
                }
                LOG.warnf("waiting for PostgreSQL to %s (attempt %d failed: %s); trying again in %d ms", what,
                        attempt, rootMessage(e), pause.toMillis());
                sleep(pause);
                Duration doubled = pause.multipliedBy(2);
                pause = doubled.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : doubled;
            }
        }
    }

    public void run(String what, Runnable step) {
        call(what, () -> {
            step.run();
            return null;
        });
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
        }
    }
}
