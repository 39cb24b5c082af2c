package dev.resnetops.trainer.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/** The one job this worker is training now, if any, and the switch that stops it. */
@ApplicationScoped
public class RunningJob {

    private record Current(UUID jobId, CancelSwitch cancel) {
    }

    private final AtomicReference<Current> current = new AtomicReference<>();

    public CancelSwitch begin(UUID jobId) {
        CancelSwitch cancel = new CancelSwitch();
        current.set(new Current(jobId, cancel));
        return cancel;
    }

    public void end(UUID jobId) {
        current.updateAndGet(c -> c != null && c.jobId().equals(jobId) ? null : c);
    }

    public boolean busy() {
        return current.get() != null;
    }

    /** Stops the running job if it is {@code jobId}; true if it was running here. */
    public boolean cancel(UUID jobId, CancelSwitch.Reason why) {
        Current c = current.get();
        if (c != null && c.jobId().equals(jobId)) {
            c.cancel().trip(why);
            return true;
        }
        return false;
    }

    /** Stops whatever runs (shutdown). */
    public void cancel(CancelSwitch.Reason why) {
        Current c = current.get();
        if (c != null) {
            c.cancel().trip(why);
        }
    }
}
