package dev.resnetops.inference.stream;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The thread a stream session runs the model on, one batch at a time, so that the session's own thread
 * (which alone may touch its Kafka consumer) commits the previous batch's transaction meanwhile. A Kafka
 * transaction is several synchronous round trips to the broker; done between two model calls, ONNX
 * Runtime idled through all of them (docs/benchmarks.md, "the Kafka image stream").
 *
 * <p>Whatever the model call throws, an {@link Error} included, {@link #await} throws again on the caller's
 * thread, so the session fails exactly as if it had called the model itself.
 */
final class ModelThread implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelThread.class);
    /** How long closing waits for a model call still running (a failed session's); it ends on its own later. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "image-stream-model");
        // Never keeps the JVM alive: a model call blocked at shutdown is abandoned, its batch uncommitted.
        thread.setDaemon(true);
        return thread;
    });

    <T> Future<T> start(Callable<T> call) {
        return executor.submit(call);
    }

    /** The call's result once it finished; what it threw is thrown here, unwrapped. */
    static <T> T await(Future<T> call) {
        try {
            return call.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the model call failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the model", e);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("a model call of the closed stream session is still running after %d s; its batch stays"
                        + " uncommitted and is classified again by the next session", CLOSE_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
