package dev.resnetops.loops;

import java.time.Duration;

/** What a {@link LoopBody} gets from its {@link BackgroundLoop}: the stop flag, progress ticks, pauses, wake-up. */
public interface LoopControl {

    /** False once the loop was asked to stop: the body then returns (or throws) as soon as it can. */
    boolean running();

    /**
     * Progress: the body is alive and not blocked. Call it once per round or poll, and from long work that
     * has steps of its own (a training step); a loop that goes without a tick for longer than its
     * {@code stuckAfter} is reported STUCK. The first tick after a restart also marks the loop RUNNING again.
     */
    void tick();

    /**
     * Waits up to {@code duration}, returning early when the loop is stopped or {@link BackgroundLoop#wakeUp()
     * woken up} (a wake-up that came while the body was busy ends the next pause at once). A pause is not
     * a lack of progress, however long: the loop waits on purpose.
     */
    void pause(Duration duration);

    /**
     * One item of the body's work failed and the body goes on with the next (a command whose handler threw):
     * logged with its cause, and kept in the health, with its time, as the loop's last failure until the next
     * one. Not a restart and not a lack of progress; for a failure the body cannot go on from, throw instead.
     *
     * @param what the item, for the operator: "job 1234 (StartTraining at training-commands-0@17)"
     */
    void failed(String what, Throwable cause);

    /**
     * How to break the body's current blocking call when the loop is stopped, e.g. {@code consumer::wakeup};
     * replaces the previous one, and is forgotten when the body's run ends. Runs at once if the loop is
     * already stopping.
     */
    void wakeUpWith(Runnable waker);
}
