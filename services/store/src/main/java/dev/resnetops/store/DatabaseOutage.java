package dev.resnetops.store;

import java.net.SocketException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a database outage (PostgreSQL restarting, unreachable, or the pool unable to hand out a
 * connection) from a write that would fail the same way on every retry (a constraint, a refused
 * transition, bad SQL). Callers retry the first until PostgreSQL is back and report the second.
 */
public final class DatabaseOutage {

    /**
     * SQLSTATE classes and codes that say "the server is away or busy", not "the statement is wrong":
     * 08 connection exceptions, 53 insufficient resources, 57P01-57P03 admin shutdown / crash shutdown /
     * cannot connect now (the server starting up after a restart), and the two a retry of the whole
     * transaction resolves (serialization failure, deadlock).
     */
    private static final Set<String> TRANSIENT_CODES = Set.of("57P01", "57P02", "57P03", "40001", "40P01");

    private DatabaseOutage() {
    }

    /** Whether {@code failure} (or one of its causes) is PostgreSQL being away, worth retrying later. */
    public static boolean isOutage(Throwable failure) {
        boolean outage = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TransitionRefusedException) {
                return false;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && !isTransientState(state)) {
                    return false;
                }
                // No state: the pool's own errors (an acquisition timeout while the server is down).
                outage = true;
            } else if (t instanceof SocketException) {
                outage = true;
            }
        }
        return outage;
    }

    private static boolean isTransientState(String state) {
        return state.startsWith("08") || state.startsWith("53") || TRANSIENT_CODES.contains(state);
    }
}
