package dev.resnetops.loops;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every background loop of this process, in registration order, for the readiness check. */
@ApplicationScoped
public class BackgroundLoops {

    private final List<BackgroundLoop> loops = new CopyOnWriteArrayList<>();

    /** Adds {@code loop} to the health report; returns it, so an owner can register as it builds. */
    public BackgroundLoop register(BackgroundLoop loop) {
        synchronized (loops) {
            if (loops.stream().anyMatch(l -> l.name().equals(loop.name()))) {
                throw new IllegalStateException("a background loop named " + loop.name() + " is registered already;"
                        + " loop names must be unique (they name threads and health entries)");
            }
            loops.add(loop);
        }
        return loop;
    }

    public List<LoopHealth> health() {
        return loops.stream().map(BackgroundLoop::health).toList();
    }
}
