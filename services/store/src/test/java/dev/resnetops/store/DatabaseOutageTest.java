package dev.resnetops.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which failures mean "PostgreSQL is away, try again" and which would fail the same way on every retry. */
class DatabaseOutageTest {

    @Test
    void aLostConnectionARefusedConnectionAndAServerStartingUpAreOutages() {
        assertThat(DatabaseOutage.isOutage(wrapped(new SQLException("An I/O error occurred", "08006")))).isTrue();
        assertThat(DatabaseOutage.isOutage(wrapped(new SQLException("Connection refused", "08001",
                new ConnectException("Connection refused"))))).isTrue();
        assertThat(DatabaseOutage.isOutage(new SQLException("terminating connection due to administrator command",
                "57P01"))).isTrue();
        assertThat(DatabaseOutage.isOutage(new SQLException("the database system is starting up", "57P03"))).isTrue();
    }

    @Test
    void thePoolTimingOutWhileTheServerIsDownIsAnOutage() {
        assertThat(DatabaseOutage.isOutage(wrapped(new SQLException("Acquisition timeout while waiting for new connection"))))
                .isTrue();
    }

    @Test
    void aConstraintViolationBadSqlOrARefusedTransitionIsNotAnOutage() {
        assertThat(DatabaseOutage.isOutage(wrapped(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(DatabaseOutage.isOutage(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(DatabaseOutage.isOutage(new TransitionRefusedException("job is COMPLETED"))).isFalse();
        assertThat(DatabaseOutage.isOutage(new IllegalArgumentException("no SQL here"))).isFalse();
    }

    private static RuntimeException wrapped(SQLException e) {
        return new IllegalStateException("transaction failed", e);
    }
}
