package dev.resnetops.orchestrator.service.workflow;

import dev.resnetops.loops.BackgroundLoop;
import dev.resnetops.loops.BackgroundLoops;
import dev.resnetops.loops.LoopBody;
import dev.resnetops.orchestrator.config.OrchestratorConfig;
import dev.resnetops.orchestrator.repository.WorkflowRunRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The loop that drives workflow runs: every tick it advances each RUNNING run in its own transaction
 * ({@link RunAdvancer}), then lets {@link RunTracking} catch MLflow up. All state is in PostgreSQL, so
 * the loop itself holds nothing a restart could lose, and several orchestrators may run it at once
 * (a run is advanced by whichever instance locks it first).
 *
 * <p>A {@link BackgroundLoop} of passes rather than a {@code @Scheduled} method: a pass calls MLflow and
 * can hang on it, which the loop's health reports as STUCK (workflows not advancing is what a user
 * notices first), and a failed pass (the database away) backs off instead of retrying every tick.
 */
@ApplicationScoped
public class WorkflowEngine {

    private static final Logger LOG = Logger.getLogger(WorkflowEngine.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** A pass is a transaction per running workflow plus MLflow calls, each bounded by its client timeouts. */
    private static final Duration STUCK_AFTER = Duration.ofMinutes(5);

    private final WorkflowRunRepository runs;
    private final RunAdvancer advancer;
    private final RunTracking tracking;
    private final OrchestratorConfig.Workflows config;
    private final BackgroundLoop loop;

    WorkflowEngine(WorkflowRunRepository runs, RunAdvancer advancer, RunTracking tracking, OrchestratorConfig config,
                   BackgroundLoops loops) {
        this.runs = runs;
        this.advancer = advancer;
        this.tracking = tracking;
        this.config = config.workflows();
        // Interrupted on stop, as before: a pass waiting on MLflow or the database ends at once; its
        // transaction rolls back and the next instance to run the engine does that pass again.
        this.loop = loops.register(BackgroundLoop.named("workflow-engine")
                .setBody(LoopBody.repeating(this.config.tick(), () -> {
                    tick();
                    return false;
                }))
                .optRestartBackoff(this.config.tick(), MAX_BACKOFF)
                .setStuckAfter(STUCK_AFTER)
                .optJoinTimeout(Duration.ofSeconds(10))
                .optInterruptOnStop()
                .optEnabled(this.config.engineEnabled())
                .build());
    }

    void start(@Observes StartupEvent event) {
        if (!config.engineEnabled()) {
            LOG.info("workflow engine is off on this instance (mlops.workflows.engine-enabled=false)");
            return;
        }
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    /** One pass over every running workflow; also what tests call to avoid waiting for the thread. */
    public void tick() {
        for (UUID run : runs.running()) {
            try {
                advancer.advance(run);
            } catch (RuntimeException e) {
                // One broken run must not stop the others; its transaction rolled back and it is retried.
                // Readiness shows it (workflow-engine.lastFailure), not only the log.
                loop.itemFailed("workflow run " + run + " (advancing it; retried next pass)", e);
            }
        }
        tracking.catchUp();
    }
}
