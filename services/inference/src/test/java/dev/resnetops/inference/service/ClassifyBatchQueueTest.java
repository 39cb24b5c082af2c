package dev.resnetops.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching logic alone, with jobs that record which batch ran them: no model is involved (the model
 * call itself is InferenceSystemTest's, on real ONNX Runtime). No assertion on speed; waits are bounded
 * only so that a broken queue fails the test instead of hanging it.
 */
class ClassifyBatchQueueTest {

    private static final Duration LONG_WAIT = Duration.ofSeconds(30);
    private static final Duration DRAIN = Duration.ofSeconds(5);
    /** Short enough that a batch which cannot fill runs soon; the tests queue what must batch together beforehand. */
    private static final Duration SHORT_WAIT = Duration.ofMillis(50);

    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private ClassifyBatchQueue<TestJob> queue;

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
    }

    @Test
    void runsJobsQueuedTogetherAsOneBatchOfAtMostTheMaximumSize() {
        CountDownLatch hold = new CountDownLatch(1);
        queue = new ClassifyBatchQueue<>(4, SHORT_WAIT, 100, 1, DRAIN, recordingAfter(hold));
        TestJob blocker = submit("blocker", "m1");
        awaitBatches(1);
        // Queued while the first batch runs: they are all there when it ends.
        List<TestJob> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(submit("j" + i, "m1"));
        }
        hold.countDown();

        jobs.forEach(TestJob::await);
        blocker.await();
        assertThat(batches).containsExactly(List.of("blocker"), List.of("j0", "j1", "j2", "j3"), List.of("j4", "j5"));
    }

    @Test
    void runsALoneJobOnceTheWaitHasPassed() {
        queue = new ClassifyBatchQueue<>(8, Duration.ofMillis(20), 100, 1, DRAIN, recordingAfter(new CountDownLatch(0)));

        submit("alone", "m1").await();

        assertThat(batches).containsExactly(List.of("alone"));
    }

    @Test
    void neverPutsJobsPreparedForDifferentModelsInOneBatch() {
        CountDownLatch hold = new CountDownLatch(1);
        queue = new ClassifyBatchQueue<>(8, SHORT_WAIT, 100, 1, DRAIN, recordingAfter(hold));
        TestJob blocker = submit("blocker", "old");
        awaitBatches(1);
        List<TestJob> jobs = List.of(submit("a", "old"), submit("b", "old"), submit("c", "new"), submit("d", "new"));
        hold.countDown();

        jobs.forEach(TestJob::await);
        blocker.await();
        assertThat(batches).containsExactly(List.of("blocker"), List.of("a", "b"), List.of("c", "d"));
    }

    @Test
    void refusesAJobWhenTheQueueIsFullAndTakesJobsAgainOnceItEmpties() {
        CountDownLatch hold = new CountDownLatch(1);
        queue = new ClassifyBatchQueue<>(2, Duration.ofMillis(1), 2, 1, DRAIN, recordingAfter(hold));
        TestJob running = submit("running", "m1");
        awaitBatches(1);
        TestJob first = submit("q1", "m1");
        TestJob second = submit("q2", "m1");

        assertThatThrownBy(() -> submit("q3", "m1")).isInstanceOf(ClassifyBusyException.class)
                .hasMessageStartingWith("the classification queue is full (2 images waiting,"
                        + " mlops.inference.rest-batching.max-queued)");
        assertThat(queue.depth()).isEqualTo(2);

        hold.countDown();
        running.await();
        first.await();
        second.await();
        submit("later", "m1").await();
    }

    @Test
    void failsOnlyTheJobsOfABatchWhoseRunnerThrows() {
        CountDownLatch hold = new CountDownLatch(1);
        Consumer<List<TestJob>> record = recordingAfter(hold);
        queue = new ClassifyBatchQueue<>(2, SHORT_WAIT, 100, 1, DRAIN, batch -> {
            if (batch.stream().anyMatch(job -> job.name.equals("boom"))) {
                throw new IllegalStateException("a bug in the runner");
            }
            record.accept(batch);
        });
        TestJob blocker = submit("blocker", "m1");
        awaitBatches(1);
        TestJob boom = submit("boom", "m1");
        TestJob neighbour = submit("neighbour", "m1");
        TestJob later = submit("later", "m1");
        hold.countDown();

        blocker.await();
        assertThat(boom.failure()).isInstanceOf(ClassificationFailedException.class)
                .hasMessageContaining("a batch of 2 images").hasRootCauseMessage("a bug in the runner");
        assertThat(neighbour.failure()).isInstanceOf(ClassificationFailedException.class);
        later.await();
    }

    @Test
    void closingRunsWhatIsQueuedAndThenRefusesNewJobs() {
        CountDownLatch hold = new CountDownLatch(1);
        queue = new ClassifyBatchQueue<>(8, LONG_WAIT, 100, 1, DRAIN, recordingAfter(hold));
        // A job of another model ends the blocker's batch at once, and waits (long) for more of its own.
        TestJob blocker = submit("blocker", "old");
        TestJob queued = submit("queued", "new");
        awaitBatches(1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(queue::close);
        hold.countDown();

        closing.orTimeout(LONG_WAIT.toSeconds(), TimeUnit.SECONDS).join();
        blocker.await();
        // Not held back for the long wait: a closing queue runs what it has.
        queued.await();
        assertThat(batches).containsExactly(List.of("blocker"), List.of("queued"));
        assertThatThrownBy(() -> submit("too late", "m1")).isInstanceOf(ClassifyBusyException.class)
                .hasMessageStartingWith("the inference service is shutting down");
    }

    @Test
    void closingFailsQueuedJobsThatCouldNotRunWithinTheDrainTimeout() {
        CountDownLatch hold = new CountDownLatch(1);
        queue = new ClassifyBatchQueue<>(8, SHORT_WAIT, 100, 1, Duration.ofMillis(200), recordingAfter(hold));
        TestJob stuck = submit("stuck", "m1");
        awaitBatches(1);
        TestJob queued = submit("queued", "m1");

        queue.close();

        assertThat(queued.failure()).isInstanceOf(ClassifyBusyException.class)
                .hasMessageStartingWith("the inference service is shutting down");
        hold.countDown();
        stuck.await();
    }

    @Test
    void runsTwoBatchesAtOnceWithTwoRunners() {
        CountDownLatch hold = new CountDownLatch(1);
        queue = new ClassifyBatchQueue<>(2, SHORT_WAIT, 100, 2, DRAIN, recordingAfter(hold));
        List<TestJob> jobs = List.of(submit("a", "m1"), submit("b", "m1"), submit("c", "m1"), submit("d", "m1"));

        // Both batches started while neither may finish: they run at the same time.
        awaitBatches(2);
        hold.countDown();
        jobs.forEach(TestJob::await);
        assertThat(batches).hasSize(2).allSatisfy(batch -> assertThat(batch).hasSize(2));
    }

    @Test
    void refusesSettingsThatDoNotBatchNamingThem() {
        assertThatThrownBy(() -> new ClassifyBatchQueue<TestJob>(1, LONG_WAIT, 10, 1, DRAIN, batch -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found max-batch-size=1, max-wait=PT30S, max-queued=10, concurrent-batches=1");
    }

    private TestJob submit(String name, String model) {
        TestJob job = new TestJob(name, model);
        queue.submit(job);
        return job;
    }

    /** Records each batch as it starts, then waits for {@code hold} and answers its jobs. */
    private Consumer<List<TestJob>> recordingAfter(CountDownLatch hold) {
        return batch -> {
            batches.add(batch.stream().map(job -> job.name).toList());
            try {
                assertThat(hold.await(LONG_WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batch.forEach(job -> job.done.complete(null));
        };
    }

    private void awaitBatches(int count) {
        long deadline = System.nanoTime() + LONG_WAIT.toNanos();
        while (batches.size() < count) {
            assertThat(System.nanoTime()).as("waiting for batch %d to start", count).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static final class TestJob implements ClassifyBatchQueue.Job {
        final String name;
        final String model;
        final long queuedAt = System.nanoTime();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        TestJob(String name, String model) {
            this.name = name;
            this.model = model;
        }

        @Override
        public Object batchKey() {
            return model;
        }

        @Override
        public long queuedAtNanos() {
            return queuedAt;
        }

        @Override
        public void fail(RuntimeException error) {
            done.completeExceptionally(error);
        }

        void await() {
            done.orTimeout(LONG_WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }

        Throwable failure() {
            try {
                done.orTimeout(LONG_WAIT.toSeconds(), TimeUnit.SECONDS).join();
            } catch (java.util.concurrent.CompletionException e) {
                return e.getCause();
            }
            throw new AssertionError(name + " was answered, not failed");
        }
    }
}
