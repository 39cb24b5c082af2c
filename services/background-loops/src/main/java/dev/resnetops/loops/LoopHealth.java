package dev.resnetops.loops;

import java.time.Duration;
import java.util.Locale;

/**
 * One loop's health at one moment.
 *
 * @param lastError      the last failure, while the loop is RESTARTING or DEAD; null otherwise
 * @param failuresInARow failures since the last progress tick
 * @param sinceProgress  time since the last tick (or since the body last started)
 * @param lastItemFailure the last item the body {@link LoopControl#failed reported failed} and survived, with
 *                        its time; null until one
 */
public record LoopHealth(String name, LoopState state, String lastError, int failuresInARow, Duration sinceProgress,
                         Duration stuckAfter, String lastItemFailure) {

    /** One line for the readiness check's data: the state, and why when it is not plain. */
    public String summary() {
        return switch (state) {
            case RESTARTING -> "RESTARTING after " + failuresInARow + (failuresInARow == 1 ? " failure" : " failures")
                    + " in a row: " + lastError;
            case STUCK -> "STUCK: no progress for " + seconds(sinceProgress) + " (limit " + seconds(stuckAfter) + ")";
            case DEAD -> "DEAD: " + lastError;
            default -> state.name();
        };
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
