package dev.resnetops.loops;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * One background loop of a service: a named daemon thread running a {@link LoopBody}, with what every loop
 * needs written once here.
 *
 * <ul>
 *   <li><b>Stop:</b> {@link #stop()} clears the running flag, ends a {@link LoopControl#pause pause}, calls the
 *   body's {@link LoopControl#wakeUpWith waker} (a Kafka consumer's {@code wakeup()}), interrupts the thread
 *   only if the loop was built with {@link Builder#interruptOnStop()}, and joins it for {@code joinTimeout}.</li>
 *   <li><b>Restart:</b> an exception out of the body is logged with its cause and the body runs again after
 *   the {@link RestartPolicy}'s backoff; an {@link Error} ends the loop DEAD, and so does anything else that
 *   ends its thread without a stop (the health checks the thread itself, not only what the loop last said).</li>
 *   <li><b>Failed items:</b> a body that handles one item's failure and goes on (a command whose handler threw)
 *   {@link LoopControl#failed reports} it; the health keeps the last one with its time, without a restart.</li>
 *   <li><b>Health:</b> {@link #health()} says RUNNING, RESTARTING (with the error), STUCK (no
 *   {@link LoopControl#tick tick} for longer than {@code stuckAfter}), DEAD, DISABLED or STOPPED.</li>
 * </ul>
 *
 * <p>The owning bean builds it, registers it with {@link BackgroundLoops} (the readiness check) and calls
 * {@link #start()} and {@link #stop()} from its own startup and shutdown observers. Composition rather than a
 * base class: each owner keeps its own steps around start and stop (a producer to open first, a running
 * job to hand back before the join), and its constructor injection stays as it is.
 *
 * <p>The thread is a daemon because {@link #stop()} is what waits for it: a body that does not end within
 * {@code joinTimeout} must not keep the process alive after shutdown.
 */
public final class BackgroundLoop {

    private static final Logger LOG = Logger.getLogger(BackgroundLoop.class);

    private final String name;
    private final LoopBody body;
    private final RestartPolicy restarts;
    private final Duration stuckAfter;
    private final Duration joinTimeout;
    private final boolean interruptOnStop;
    private final Control control = new Control();

    /** Guards {@link #wakeUpPending}; notified on wake-up and stop. */
    private final Object signal = new Object();
    private boolean wakeUpPending;

    /** State, last error and failures in a row change together, so a reader never sees them half updated. */
    private record Status(LoopState state, String lastError, int failuresInARow) {
    }

    private final AtomicReference<Status> status;
    /** The last failure the body reported and survived, with its time; null until one. */
    private volatile String lastItemFailure;
    private volatile boolean stopping;
    private volatile boolean inBody;
    private volatile boolean pausing;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile Runnable waker;
    private Thread thread;

    private BackgroundLoop(Builder builder) {
        this.name = builder.name;
        this.body = builder.body;
        this.restarts = builder.restarts;
        this.stuckAfter = builder.stuckAfter;
        this.joinTimeout = builder.joinTimeout;
        this.interruptOnStop = builder.interruptOnStop;
        this.status = new AtomicReference<>(new Status(builder.enabled ? LoopState.NEW : LoopState.DISABLED, null, 0));
    }

    /** Starts building the loop called {@code name}; the name is also its thread's. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** Starts the thread; does nothing for a disabled loop. */
    public synchronized void start() {
        if (status.get().state() == LoopState.DISABLED) {
            return;
        }
        if (thread != null) {
            throw new IllegalStateException("background loop " + name + " was started already");
        }
        status.set(new Status(LoopState.RUNNING, null, 0));
        thread = new Thread(this::runUntilStopped, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the loop and waits up to its join timeout for the body to end; does nothing if it never started. */
    public void stop() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            return;
        }
        stopping = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        wake(waker);
        if (interruptOnStop) {
            t.interrupt();
        }
        try {
            t.join(joinTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warnf("background loop %s did not stop within %d s; shutting down without it", name,
                    joinTimeout.toSeconds());
        }
    }

    /** Ends the body's current or next {@link LoopControl#pause pause} at once (e.g. new rows to relay). */
    public void wakeUp() {
        synchronized (signal) {
            wakeUpPending = true;
            signal.notifyAll();
        }
    }

    /**
     * {@link LoopControl#failed}, for an owner whose body is a {@link LoopBody#repeating} round and has no
     * {@link LoopControl} at hand: one item of the round failed and the round went on.
     */
    public void itemFailed(String what, Throwable cause) {
        lastItemFailure = Instant.now() + " " + what + ": " + describeSafely(cause);
        LOG.errorf(cause, "background loop %s: %s failed; the loop goes on with the next", name, what);
    }

    public LoopHealth health() {
        Status now = status.get();
        LoopState s = now.state();
        Duration since = Duration.ofNanos(System.nanoTime() - lastProgressNanos);
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if ((s == LoopState.RUNNING || s == LoopState.RESTARTING) && t != null && !t.isAlive()) {
            // Whatever ended the thread did not get to say so (it was thrown while the loop recorded a failure,
            // or it bypassed the catch): a thread that is gone is DEAD, whatever the last word was.
            return new LoopHealth(name, LoopState.DEAD, "its thread ended without a stop"
                    + (now.lastError() == null ? "" : "; last error: " + now.lastError()), now.failuresInARow(),
                    since, stuckAfter, lastItemFailure);
        }
        if ((s == LoopState.RUNNING || s == LoopState.RESTARTING) && inBody && !pausing
                && since.compareTo(stuckAfter) > 0) {
            s = LoopState.STUCK;
        }
        return new LoopHealth(name, s, now.lastError(), now.failuresInARow(), since, stuckAfter, lastItemFailure);
    }

    private void runUntilStopped() {
        try {
            runBodyUntilStopped();
        } catch (Throwable e) {
            // Out of the restart machinery itself (describing or logging a failure threw): still say so.
            die(e);
        }
    }

    private void runBodyUntilStopped() {
        while (!stopping) {
            Exception failure;
            lastProgressNanos = System.nanoTime();
            inBody = true;
            try {
                body.run(control);
                failure = stopping ? null
                        : new IllegalStateException("its body returned although the loop was not stopped");
            } catch (Exception e) {
                // A stop makes blocking calls throw on purpose (WakeupException, InterruptedException).
                failure = stopping ? null : e;
            } catch (Error e) {
                die(e);
                return;
            } finally {
                inBody = false;
                waker = null;
            }
            if (failure == null) {
                break;
            }
            Thread.interrupted(); // an interrupt that was not a stop must not cut the backoff short
            backOff(failure);
        }
        status.updateAndGet(s -> s.state() == LoopState.DEAD ? s : new Status(LoopState.STOPPED, null, 0));
    }

    private void backOff(Exception failure) {
        String error = describe(failure);
        Status before = status.get();
        int failures = before.failuresInARow() + 1;
        boolean sameAsBefore = before.state() == LoopState.RESTARTING && error.equals(before.lastError());
        status.set(new Status(LoopState.RESTARTING, error, failures));
        Duration backoff = restarts.backoffAfter(failures);
        if (failures == 1) {
            LOG.warnf(failure, "background loop %s failed; running it again in %d ms", name, backoff.toMillis());
        } else if (!sameAsBefore) {
            LOG.warnf("background loop %s failed again (%d in a row): %s; running it again in %d ms", name, failures,
                    error, backoff.toMillis());
        } else {
            // The same outage again: said already, the health shows it.
            LOG.debugf("background loop %s failed again (%d in a row): %s", name, failures, error);
        }
        long end = System.nanoTime() + backoff.toNanos();
        synchronized (signal) {
            long left;
            while (!stopping && (left = end - System.nanoTime()) > 0) {
                try {
                    signal.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    if (stopping) {
                        return;
                    }
                }
            }
        }
    }

    private void die(Throwable e) {
        status.set(new Status(LoopState.DEAD, describeSafely(e), status.get().failuresInARow() + 1));
        LOG.errorf(e, "background loop %s died; it is not restarted (readiness is DOWN until the service restarts)",
                name);
    }

    private void progress() {
        lastProgressNanos = System.nanoTime();
        Status before = status.get();
        if (inBody && before.state() == LoopState.RESTARTING
                && status.compareAndSet(before, new Status(LoopState.RUNNING, null, 0))) {
            LOG.infof("background loop %s runs again after %d failure(s) in a row (the last: %s)", name,
                    before.failuresInARow(), before.lastError());
        }
    }

    private void wake(Runnable w) {
        if (w == null) {
            return;
        }
        try {
            w.run();
        } catch (RuntimeException e) {
            LOG.warnf("background loop %s: its wake-up failed (%s); waiting for the body to notice the stop", name,
                    e.getMessage());
        }
    }

    /** {@link #describe}, for a throwable whose own message may be what failed. */
    private static String describeSafely(Throwable t) {
        try {
            return describe(t);
        } catch (Throwable again) {
            return t.getClass().getSimpleName() + " (its message could not be read: " + again.getClass().getSimpleName()
                    + ")";
        }
    }

    /** The exception and, when it wraps another, the root cause: what an operator needs in one line. */
    public static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(t.getClass().getSimpleName());
        if (t.getMessage() != null) {
            s.append(": ").append(t.getMessage());
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != t) {
            s.append(" (caused by ").append(root.getClass().getSimpleName());
            if (root.getMessage() != null) {
                s.append(": ").append(root.getMessage());
            }
            s.append(')');
        }
        return s.toString();
    }

    private final class Control implements LoopControl {

        @Override
        public boolean running() {
            return !stopping;
        }

        @Override
        public void tick() {
            progress();
        }

        @Override
        public void pause(Duration duration) {
            progress();
            long end = System.nanoTime() + duration.toNanos();
            pausing = true;
            synchronized (signal) {
                long left;
                while (!stopping && !wakeUpPending && (left = end - System.nanoTime()) > 0) {
                    try {
                        signal.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                wakeUpPending = false;
            }
            progress(); // before clearing the flag, so no reader sees the pause's length as a lack of progress
            pausing = false;
        }

        @Override
        public void failed(String what, Throwable cause) {
            itemFailed(what, cause);
        }

        @Override
        public void wakeUpWith(Runnable w) {
            waker = w;
            if (stopping) {
                wake(w);
            }
        }
    }

    /**
     * Required: a body and a stuck-after threshold. Optional: the restart backoff (1 s doubling to 30 s),
     * the join timeout (10 s), interrupt on stop, enabled (true).
     */
    public static final class Builder {

        private final String name;
        private LoopBody body;
        private RestartPolicy restarts = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30));
        private Duration stuckAfter;
        private Duration joinTimeout = Duration.ofSeconds(10);
        private boolean interruptOnStop;
        private boolean enabled = true;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a background loop needs a name (it names its thread and health)");
            }
            this.name = name;
        }

        public Builder setBody(LoopBody body) {
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        /**
         * How long the body may go without a {@link LoopControl#tick tick} before the loop counts as STUCK:
         * longer than the slowest normal round, poll, step or blocking call of this loop.
         */
        public Builder setStuckAfter(Duration stuckAfter) {
            if (stuckAfter == null || stuckAfter.isNegative() || stuckAfter.isZero()) {
                throw new IllegalArgumentException("background loop " + name + ": stuck-after must be positive, got "
                        + stuckAfter);
            }
            this.stuckAfter = stuckAfter;
            return this;
        }

        public Builder optRestartBackoff(Duration initial, Duration max) {
            this.restarts = new RestartPolicy(initial, max);
            return this;
        }

        /** How long {@link #stop()} waits for the body to end. */
        public Builder optJoinTimeout(Duration joinTimeout) {
            this.joinTimeout = Objects.requireNonNull(joinTimeout, "joinTimeout");
            return this;
        }

        /**
         * Also interrupt the thread on stop, for a body blocked in interruptible calls (HTTP, JDBC waits,
         * sleeps) that holds nothing an interrupt could damage. Not for bodies doing file I/O through NIO
         * channels (an interrupt closes the channel) or training (libtorch).
         */
        public Builder optInterruptOnStop() {
            this.interruptOnStop = true;
            return this;
        }

        /** A disabled loop never starts and reports DISABLED (ready): it is off on purpose on this instance. */
        public Builder optEnabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public BackgroundLoop build() {
            if (body == null) {
                throw new IllegalStateException("background loop " + name + " has no body (setBody)");
            }
            if (stuckAfter == null) {
                throw new IllegalStateException("background loop " + name + " has no stuck-after threshold"
                        + " (setStuckAfter)");
            }
            return new BackgroundLoop(this);
        }
    }
}
