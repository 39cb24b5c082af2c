package dev.resnetops.orchestrator.service.workflow;

import dev.resnetops.orchestrator.config.OrchestratorConfig;
import dev.resnetops.orchestrator.repository.WorkflowRunRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The loop that drives workflow runs: every tick it advances each RUNNING run in its own transaction
 * ({@link RunAdvancer}), then lets {@link RunTracking} catch MLflow up. All state is in PostgreSQL, so
 * the loop itself holds nothing a restart could lose, and several orchestrators may run it at once
 * (a run is advanced by whichever instance locks it first).
 */
@ApplicationScoped
public class WorkflowEngine {

    private static final Logger LOG = Logger.getLogger(WorkflowEngine.class);

    private final WorkflowRunRepository runs;
    private final RunAdvancer advancer;
    private final RunTracking tracking;
    private final OrchestratorConfig.Workflows config;
    private volatile boolean running;
    private Thread thread;

    WorkflowEngine(WorkflowRunRepository runs, RunAdvancer advancer, RunTracking tracking, OrchestratorConfig config) {
        this.runs = runs;
        this.advancer = advancer;
        this.tracking = tracking;
        this.config = config.workflows();
    }

    void start(@Observes StartupEvent event) {
        if (!config.engineEnabled()) {
            LOG.info("workflow engine is off on this instance (mlops.workflows.engine-enabled=false)");
            return;
        }
        running = true;
        thread = new Thread(this::loop, "workflow-engine");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    private void loop() {
        while (running) {
            try {
                tick();
                Thread.sleep(config.tick().toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The database being away is the usual cause; the next tick tries again.
                LOG.warnf("workflow engine: %s", e.getMessage());
                sleepQuietly();
            }
        }
    }

    /** One pass over every running workflow; also what tests call to avoid waiting for the thread. */
    public void tick() {
        for (UUID run : runs.running()) {
            try {
                advancer.advance(run);
            } catch (RuntimeException e) {
                // One broken run must not stop the others; its transaction rolled back and it is retried.
                LOG.errorf(e, "workflow run %s could not be advanced", run);
            }
        }
        tracking.catchUp();
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(config.tick().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
