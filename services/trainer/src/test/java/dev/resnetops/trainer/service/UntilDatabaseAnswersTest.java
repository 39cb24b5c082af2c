package dev.resnetops.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A job's database steps wait out an outage and pass any other failure through at once. */
class UntilDatabaseAnswersTest {

    private final UntilDatabaseAnswers database = new UntilDatabaseAnswers();

    @Test
    void aStepIsRetriedWhilePostgresIsAwayAndItsResultReturnedOnceItAnswers() {
        AtomicInteger calls = new AtomicInteger();

        String result = database.call("record epoch 2 of job x", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("commit failed", new SQLException("I/O error", "08006"));
            }
            return "recorded";
        });

        assertThat(result).isEqualTo("recorded");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aFailureThatIsNotAnOutageIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> database.run("record job x as COMPLETED", () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("insert failed", new SQLException("duplicate key", "23505"));
        })).hasMessage("insert failed");
        assertThat(calls).hasValue(1);
    }

    @Test
    void onShutdownAnOutageIsNoLongerWaitedFor() {
        database.stop(null);

        assertThatThrownBy(() -> database.run("record epoch 1 of job x", () -> {
            throw new IllegalStateException("no connection", new SQLException("Connection refused", "08001"));
        })).hasMessage("no connection");
    }
}
