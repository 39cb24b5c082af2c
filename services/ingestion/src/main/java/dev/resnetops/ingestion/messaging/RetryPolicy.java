package dev.resnetops.ingestion.messaging;

import dev.resnetops.ingestion.config.IngestionConfig;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Runs an action until it succeeds or {@code maxAttempts} have failed, sleeping with exponential
 * backoff in between. For failures outside the data (database or disk unavailable), where trying
 * again later is the fix.
 */
final class RetryPolicy {

    private static final Logger LOG = Logger.getLogger(RetryPolicy.class);

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("mlops.ingestion.retry.max-attempts must be at least 1, got "
                    + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    static RetryPolicy from(IngestionConfig.Retry config) {
        return new RetryPolicy(config.maxAttempts(), config.initialBackoff(), config.maxBackoff());
    }

    /**
     * @param what names the work in log lines, e.g. "dataset 1234"
     * @throws ExhaustedException after the last failed attempt, with the last failure as its cause
     */
    void run(String what, Runnable action) throws InterruptedException {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                return;
            } catch (RuntimeException e) {
                if (attempt >= maxAttempts) {
                    LOG.errorf(e, "%s: giving up after %d attempts", what, attempt);
                    throw new ExhaustedException("gave up after " + attempt + " attempts: " + describe(e), e);
                }
                LOG.warnf("%s: attempt %d of %d failed (%s); retrying in %d ms", what, attempt, maxAttempts,
                        describe(e), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    /** The message of the failure and its causes: "cannot mark dataset ...: Connection refused". */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    /** The last attempt failed; the message says how many there were and why the last one failed. */
    static final class ExhaustedException extends IllegalStateException {
        ExhaustedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
