package dev.resnetops.loops;

import java.time.Duration;

/**
 * The work of a {@link BackgroundLoop}: runs until {@link LoopControl#running()} turns false. Throwing ends
 * this run; the loop then runs the body again after a backoff (an {@link Error} ends the loop). So a body
 * holds its resources in try-with-resources and needs no retry code of its own for failures it cannot
 * handle better than "start again" (a Kafka session, a database outage).
 */
@FunctionalInterface
public interface LoopBody {

    void run(LoopControl loop) throws Exception;

    /**
     * A body made of rounds: runs {@code round}, ticks, and pauses for {@code pause} unless the round said more
     * work is waiting. For pollers of a table or a service (relays, the workflow engine).
     */
    static LoopBody repeating(Duration pause, Round round) {
        return loop -> {
            while (loop.running()) {
                boolean more = round.run();
                loop.tick();
                if (!more) {
                    loop.pause(pause);
                }
            }
        };
    }

    /** One round of a {@link #repeating} body. */
    @FunctionalInterface
    interface Round {

        /** Does one round of work; true when more is waiting and the next round should start at once. */
        boolean run() throws Exception;
    }
}
