package dev.resnetops.inference.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A bounded queue of jobs that {@code runners} threads run in batches: a batch starts when
 * {@code maxBatchSize} jobs are there, or when {@code maxWait} has passed since its first job was queued,
 * whichever comes first. With two runners one batch gathers while the other runs, and both may run at
 * once.
 * Jobs run together only when their {@link Job#batchKey() keys} are equal (the model their image was
 * prepared for), so a hot swap ends a batch early instead of mixing two models in one run.
 *
 * <p>A full queue refuses at once ({@link ClassifyBusyException}) rather than growing. {@link #close()}
 * refuses new jobs, lets the thread run what is queued for up to {@code drainTimeout}, then fails whatever
 * is still waiting: no caller waits forever on a queue that has stopped.
 *
 * @param <J> the job; the runner must end each job's wait (answer or fail it)
 */
final class ClassifyBatchQueue<J extends ClassifyBatchQueue.Job> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClassifyBatchQueue.class);
    /** How often a waiting batching thread looks whether the queue was closed. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** What the queue needs to know of a job. */
    interface Job {
        /** Jobs with equal keys may share a batch. */
        Object batchKey();

        /** {@link System#nanoTime()} when the job was queued: the batch's wait counts from its first job's. */
        long queuedAtNanos();

        /** Ends the job's wait with this error; a no-op for a job already answered. */
        void fail(RuntimeException error);
    }

    private final int maxBatchSize;
    private final long maxWaitNanos;
    private final int capacity;
    private final Duration drainTimeout;
    private final BlockingQueue<J> pending;
    private final Consumer<List<J>> runner;
    private final List<Thread> threads = new ArrayList<>();
    /** Guards closing against a submit in progress, so no job is queued after the final drain. */
    private final Object admission = new Object();
    private volatile boolean closing;

    /**
     * @param runner runs one batch on the queue's thread and answers or fails each of its jobs; what it
     *     throws fails the jobs it left unanswered
     */
    ClassifyBatchQueue(int maxBatchSize, Duration maxWait, int capacity, int runners, Duration drainTimeout,
                       Consumer<List<J>> runner) {
        if (maxBatchSize < 2 || maxWait.isNegative() || maxWait.isZero() || capacity < 1 || runners < 1) {
            throw new IllegalArgumentException("mlops.inference.rest-batching: batching needs max-batch-size >= 2,"
                    + " max-wait > 0, max-queued >= 1 and concurrent-batches >= 1, found max-batch-size=" + maxBatchSize
                    + ", max-wait=" + maxWait + ", max-queued=" + capacity + ", concurrent-batches=" + runners
                    + " (max-batch-size 1 or max-wait 0 turns batching off)");
        }
        this.maxBatchSize = maxBatchSize;
        this.maxWaitNanos = maxWait.toNanos();
        this.capacity = capacity;
        this.drainTimeout = drainTimeout;
        this.pending = new ArrayBlockingQueue<>(capacity);
        this.runner = runner;
        for (int i = 0; i < runners; i++) {
            Thread thread = new Thread(this::runBatches, "classify-batches-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    /** Queues the job; its runner answers it later on the queue's thread. */
    void submit(J job) {
        synchronized (admission) {
            if (closing) {
                throw ClassifyBusyException.shuttingDown();
            }
            if (!pending.offer(job)) {
                throw ClassifyBusyException.queueFull(capacity);
            }
        }
    }

    /** Jobs waiting for a batch (not those of the batch running now). */
    int depth() {
        return pending.size();
    }

    private void runBatches() {
        J carried = null;
        while (true) {
            J first = carried != null ? carried : nextFirst();
            if (first == null) {
                return;
            }
            List<J> batch = new ArrayList<>(maxBatchSize);
            batch.add(first);
            carried = fill(batch, first);
            run(batch);
        }
    }

    /** The next job to start a batch with, or null once the queue is closed and empty. */
    private J nextFirst() {
        while (true) {
            J job;
            try {
                job = pending.poll(IDLE_CHECK_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                job = pending.poll();
            }
            if (job != null) {
                return job;
            }
            if (closing) {
                return null;
            }
        }
    }

    /** Adds jobs of the first one's key until the batch is full or its wait is over; returns a job of another key. */
    private J fill(List<J> batch, J first) {
        long deadline = first.queuedAtNanos() + maxWaitNanos;
        while (batch.size() < maxBatchSize) {
            J job = pending.poll();
            if (job == null) {
                long left = deadline - System.nanoTime();
                // Closing: run what is there now instead of waiting for jobs that cannot come.
                if (left <= 0 || closing) {
                    return null;
                }
                try {
                    // In slices, so that a close meanwhile is seen even during a long configured wait.
                    job = pending.poll(Math.min(left, IDLE_CHECK_NANOS), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    return null;
                }
                if (job == null) {
                    continue;
                }
            }
            if (!job.batchKey().equals(first.batchKey())) {
                return job;
            }
            batch.add(job);
        }
        return null;
    }

    private void run(List<J> batch) {
        try {
            runner.accept(batch);
        } catch (RuntimeException | Error e) {
            // The runner answers each job itself; this is for a bug in it, so that no caller waits forever.
            LOG.errorf(e, "a batch of %d POST /classify images failed outside the model call", batch.size());
            ClassificationFailedException failure = ClassificationFailedException.ofBatch(batch.size(), e);
            batch.forEach(job -> job.fail(failure));
        }
    }

    @Override
    public void close() {
        synchronized (admission) {
            closing = true;
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        try {
            for (Thread thread : threads) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<J> left = new ArrayList<>();
        pending.drainTo(left);
        if (!left.isEmpty()) {
            LOG.warnf("shutting down: %d queued POST /classify images did not run within %s; they are answered 503",
                    left.size(), drainTimeout);
            left.forEach(job -> job.fail(ClassifyBusyException.shuttingDown()));
        }
    }
}
