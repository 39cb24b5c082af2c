package dev.resnetops.loops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop base on real threads: restart after a crash, clean shutdown, STUCK and DEAD in the health. */
class BackgroundLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BackgroundLoops registry = new BackgroundLoops();
    private final BackgroundLoopsHealthCheck readiness = new BackgroundLoopsHealthCheck(registry);
    private BackgroundLoop loop;

    @AfterEach
    void stopTheLoop() {
        if (loop != null) {
            loop.stop();
        }
    }

    @Test
    void restartsABodyThatThrowsAndReportsRestartingWithTheErrorThenRunning() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch recover = new CountDownLatch(1);
        loop = start(BackgroundLoop.named("relay").optRestartBackoff(Duration.ofMillis(50), Duration.ofMillis(100))
                .setStuckAfter(Duration.ofSeconds(30)).setBody(control -> {
                    if (runs.incrementAndGet() == 1) {
                        throw new IllegalStateException("broker unreachable", new java.net.ConnectException("refused"));
                    }
                    recover.await();
                    while (control.running()) {
                        control.tick();
                        control.pause(Duration.ofMillis(20));
                    }
                }));

        await(() -> runs.get() == 2);
        LoopHealth restarting = loop.health();
        assertThat(restarting.state()).isEqualTo(LoopState.RESTARTING);
        assertThat(restarting.summary()).isEqualTo("RESTARTING after 1 failure in a row: IllegalStateException: "
                + "broker unreachable (caused by ConnectException: refused)");
        assertThat(readiness.call().getStatus()).as("a restarting loop is outlasting an outage: still ready")
                .isEqualTo(HealthCheckResponse.Status.UP);

        recover.countDown();
        await(() -> loop.health().state() == LoopState.RUNNING);
        assertThat(loop.health().lastError()).isNull();
        assertThat(loop.health().failuresInARow()).isZero();
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void backsOffLongerWithEveryFailureInARow() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        long start = System.nanoTime();
        loop = start(BackgroundLoop.named("crasher").optRestartBackoff(Duration.ofMillis(100), Duration.ofMillis(400))
                .setStuckAfter(Duration.ofSeconds(30)).setBody(control -> {
                    runs.incrementAndGet();
                    throw new IllegalStateException("database down");
                }));

        await(() -> runs.get() == 4);
        // Waits of 100 + 200 + 400 ms before runs 2, 3 and 4.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(loop.health().failuresInARow()).isGreaterThanOrEqualTo(3);
        assertThat(loop.health().state()).isEqualTo(LoopState.RESTARTING);
    }

    @Test
    void endsDeadOnAnErrorWithoutRestartingAndReadinessGoesDown() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        loop = start(BackgroundLoop.named("image-stream").optRestartBackoff(Duration.ofMillis(10), Duration.ofMillis(10))
                .setStuckAfter(Duration.ofSeconds(30)).setBody(control -> {
                    runs.incrementAndGet();
                    throw new NoClassDefFoundError("ai/onnxruntime/OrtEnvironment");
                }));

        await(() -> loop.health().state() == LoopState.DEAD);
        Thread.sleep(100);
        assertThat(runs.get()).as("an Error is not restarted").isEqualTo(1);
        assertThat(loop.health().summary()).isEqualTo("DEAD: NoClassDefFoundError: ai/onnxruntime/OrtEnvironment");

        HealthCheckResponse response = readiness.call();
        assertThat(response.getName()).isEqualTo("background-loops");
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData()).hasValueSatisfying(data -> assertThat(data)
                .containsEntry("image-stream", "DEAD: NoClassDefFoundError: ai/onnxruntime/OrtEnvironment"));
    }

    @Test
    void aFailureThatThrowsAnErrorWhileBeingRecordedEndsTheLoopDeadInsteadOfLeavingItRunning() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        loop = start(BackgroundLoop.named("tracking-relay").optRestartBackoff(Duration.ofMillis(10), Duration.ofMillis(10))
                .setStuckAfter(Duration.ofSeconds(30)).setBody(control -> {
                    runs.incrementAndGet();
                    // Reading the message fails with an Error, as building one can (out of memory, a broken class).
                    throw new IllegalStateException() {
                        @Override
                        public String getMessage() {
                            throw new NoClassDefFoundError("org/example/Gone");
                        }
                    };
                }));

        await(() -> loop.health().state() != LoopState.RUNNING);
        Thread.sleep(100);

        assertThat(loop.health().state()).isEqualTo(LoopState.DEAD);
        assertThat(loop.health().lastError()).contains("NoClassDefFoundError");
        assertThat(runs.get()).isEqualTo(1);
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    @Test
    void aFailedItemTheBodyGoesOnFromShowsInReadinessWithItsTimeWhileTheLoopRuns() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        loop = start(BackgroundLoop.named("training-commands").setStuckAfter(Duration.ofSeconds(30)).setBody(control -> {
            while (control.running()) {
                int item = handled.incrementAndGet();
                if (item == 1) {
                    control.failed("job 42", new IllegalStateException("the handler threw"));
                }
                control.tick();
                control.pause(Duration.ofMillis(20));
            }
        }));

        await(() -> handled.get() >= 3);

        assertThat(loop.health().state()).isEqualTo(LoopState.RUNNING);
        HealthCheckResponse response = readiness.call();
        assertThat(response.getStatus()).as("the loop goes on: still ready").isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData()).hasValueSatisfying(data -> {
            assertThat(data).containsEntry("training-commands", "RUNNING");
            assertThat(data.get("training-commands.lastFailure")).asString()
                    .matches("\\d{4}-\\d\\d-\\d\\dT.* job 42: IllegalStateException: the handler threw");
        });
    }

    @Test
    void anItemARepeatingRoundSkippedIsReportedByItsOwnerAndShowsInReadiness() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        BackgroundLoop[] self = new BackgroundLoop[1];
        loop = self[0] = registry.register(BackgroundLoop.named("workflow-engine").setStuckAfter(Duration.ofSeconds(30))
                .setBody(LoopBody.repeating(Duration.ofMillis(20), () -> {
                    if (rounds.incrementAndGet() == 1) {
                        self[0].itemFailed("workflow run 7", new IllegalStateException("no such step"));
                    }
                    return false;
                })).build());
        loop.start();

        await(() -> rounds.get() >= 3);

        assertThat(loop.health().state()).isEqualTo(LoopState.RUNNING);
        assertThat(readiness.call().getData()).hasValueSatisfying(data -> assertThat(
                data.get("workflow-engine.lastFailure")).asString()
                .endsWith(" workflow run 7: IllegalStateException: no such step"));
    }

    @Test
    void stopWakesABlockedBodyWithItsWakerAndJoinsItWithoutRestarting() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        BlockingQueue<String> records = new LinkedBlockingQueue<>();
        CountDownLatch polling = new CountDownLatch(1);
        loop = start(BackgroundLoop.named("consumer").setStuckAfter(Duration.ofSeconds(30))
                .optJoinTimeout(Duration.ofSeconds(5)).setBody(control -> {
                    runs.incrementAndGet();
                    try {
                        // Like KafkaConsumer: wakeup() makes the blocked poll throw.
                        control.wakeUpWith(() -> records.add("wakeup"));
                        while (control.running()) {
                            polling.countDown();
                            if ("wakeup".equals(records.poll(1, TimeUnit.HOURS))) {
                                throw new IllegalStateException("woken up");
                            }
                        }
                    } finally {
                        closed.set(true);
                    }
                }));
        assertThat(polling.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        long before = System.nanoTime();
        loop.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        assertThat(closed).as("the body's resources were closed before stop() returned").isTrue();
        assertThat(loop.health().state()).isEqualTo(LoopState.STOPPED);
        assertThat(loop.health().lastError()).as("the wake-up's exception is a stop, not a failure").isNull();
        assertThat(runs.get()).isEqualTo(1);
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    @Test
    void stopInterruptsABodyBlockedInASleepWhenAskedTo() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        loop = start(BackgroundLoop.named("engine").setStuckAfter(Duration.ofMinutes(5)).optInterruptOnStop()
                .setBody(control -> {
                    while (control.running()) {
                        sleeping.countDown();
                        Thread.sleep(Duration.ofMinutes(1).toMillis());
                    }
                }));
        assertThat(sleeping.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        long before = System.nanoTime();
        loop.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        assertThat(loop.health().state()).isEqualTo(LoopState.STOPPED);
    }

    @Test
    void stopEndsAPauseAtOnce() {
        loop = start(BackgroundLoop.named("poller").setStuckAfter(Duration.ofMinutes(5))
                .setBody(LoopBody.repeating(Duration.ofMinutes(1), () -> false)));
        await(() -> loop.health().state() == LoopState.RUNNING);

        long before = System.nanoTime();
        loop.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        assertThat(loop.health().state()).isEqualTo(LoopState.STOPPED);
    }

    @Test
    void reportsStuckWhenTheBodyStopsTickingAndRunningWhenItTicksAgain() throws Exception {
        CountDownLatch unblock = new CountDownLatch(1);
        AtomicBoolean blocked = new AtomicBoolean();
        loop = start(BackgroundLoop.named("training-commands").setStuckAfter(Duration.ofMillis(300))
                .setBody(control -> {
                    control.tick();
                    blocked.set(true);
                    unblock.await(); // a call that hangs
                    while (control.running()) {
                        control.tick();
                        control.pause(Duration.ofMillis(20));
                    }
                }));

        await(() -> loop.health().state() == LoopState.STUCK);
        assertThat(blocked).isTrue();
        assertThat(loop.health().summary()).startsWith("STUCK: no progress for ").endsWith("(limit 0.3 s)");
        HealthCheckResponse response = readiness.call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData()).hasValueSatisfying(data -> assertThat(data.get("training-commands"))
                .asString().startsWith("STUCK"));

        unblock.countDown();
        await(() -> loop.health().state() == LoopState.RUNNING);
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void aTrainingThatTicksEveryStepIsNotStuckThoughItNeverReturnsToItsPoll() throws Exception {
        CountDownLatch trained = new CountDownLatch(1);
        AtomicBoolean stuckSeen = new AtomicBoolean();
        loop = start(BackgroundLoop.named("trainer").setStuckAfter(Duration.ofMillis(300)).setBody(control -> {
            long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < end) { // one long job: a step every 50 ms
                Thread.sleep(50);
                control.tick();
            }
            trained.countDown();
            while (control.running()) {
                control.tick();
                control.pause(Duration.ofMillis(20));
            }
        }));
        while (trained.getCount() > 0) {
            stuckSeen.compareAndSet(false, loop.health().state() == LoopState.STUCK);
            Thread.sleep(20);
        }
        assertThat(stuckSeen).isFalse();
    }

    @Test
    void aWakeUpEndsTheNextPauseOfARepeatingBody() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        loop = start(BackgroundLoop.named("outbox-relay").setStuckAfter(Duration.ofMinutes(5))
                .setBody(LoopBody.repeating(Duration.ofMinutes(1), () -> {
                    rounds.incrementAndGet();
                    return false;
                })));
        await(() -> rounds.get() == 1);
        Thread.sleep(100);
        assertThat(rounds.get()).as("pausing for a minute").isEqualTo(1);

        loop.wakeUp();

        await(() -> rounds.get() == 2);
    }

    @Test
    void aRoundThatSaysMoreIsWaitingRunsAgainWithoutPausing() {
        AtomicInteger rounds = new AtomicInteger();
        loop = start(BackgroundLoop.named("outbox-relay").setStuckAfter(Duration.ofMinutes(5))
                .setBody(LoopBody.repeating(Duration.ofMinutes(1), () -> rounds.incrementAndGet() < 5)));

        await(() -> rounds.get() == 5);
    }

    @Test
    void aDisabledLoopNeverRunsAndIsReady() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        loop = start(BackgroundLoop.named("workflow-engine").setStuckAfter(Duration.ofMinutes(1)).optEnabled(false)
                .setBody(control -> runs.incrementAndGet()));
        Thread.sleep(100);

        assertThat(runs.get()).isZero();
        assertThat(loop.health().summary()).isEqualTo("DISABLED");
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void aBodyThatReturnsWithoutAStopIsAFailure() {
        AtomicInteger runs = new AtomicInteger();
        loop = start(BackgroundLoop.named("watcher").optRestartBackoff(Duration.ofMillis(10), Duration.ofMillis(10))
                .setStuckAfter(Duration.ofMinutes(1)).setBody(control -> runs.incrementAndGet()));

        await(() -> runs.get() >= 2);
        assertThat(loop.health().lastError()).contains("returned although the loop was not stopped");
    }

    @Test
    void readinessListsEveryLoopByNameAndIsDownBeforeTheyStart() {
        registry.register(BackgroundLoop.named("a").setStuckAfter(Duration.ofMinutes(1)).setBody(c -> { }).build());
        registry.register(BackgroundLoop.named("b").setStuckAfter(Duration.ofMinutes(1)).optEnabled(false)
                .setBody(c -> { }).build());

        HealthCheckResponse response = readiness.call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData()).hasValueSatisfying(data -> assertThat(data)
                .containsEntry("a", "NEW").containsEntry("b", "DISABLED"));
    }

    @Test
    void refusesTwoLoopsOfOneName() {
        registry.register(BackgroundLoop.named("relay").setStuckAfter(Duration.ofMinutes(1)).setBody(c -> { }).build());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> registry.register(BackgroundLoop.named("relay")
                        .setStuckAfter(Duration.ofMinutes(1)).setBody(c -> { }).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("relay");
    }

    @Test
    void aPauseLongerThanTheStuckThresholdIsNotStuck() throws Exception {
        loop = start(BackgroundLoop.named("slow-poller").setStuckAfter(Duration.ofMillis(100))
                .setBody(LoopBody.repeating(Duration.ofMinutes(1), () -> false)));
        await(() -> loop.health().state() == LoopState.RUNNING);

        Thread.sleep(300);

        assertThat(loop.health().state()).isEqualTo(LoopState.RUNNING);
    }

    private BackgroundLoop start(BackgroundLoop.Builder builder) {
        BackgroundLoop built = registry.register(builder.build());
        built.start();
        return built;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
