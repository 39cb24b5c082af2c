package dev.resnetops.cli.stream;

import org.apache.kafka.common.errors.AuthenticationException;

/** The stream could not run: Kafka unreachable, a topic missing, a send refused. The message says what to do. */
public final class StreamFailedException extends RuntimeException {

    public StreamFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The broker refused the login, or refused the principal what the stream needs ({@code action}). */
    static StreamFailedException refused(StreamBroker broker, String action, Throwable cause) {
        if (cause instanceof AuthenticationException) {
            return new StreamFailedException("Kafka at " + broker.bootstrap() + " refused the login of '" + broker.user()
                    + "': " + cause.getMessage() + "; is the password that of this platform's stream-client principal"
                    + " (MLOPS_KAFKA_STREAM_CLIENT_PASSWORD, written by ./mlops up to $MLOPS_HOME/infra/infra.env)?",
                    cause);
        }
        return new StreamFailedException("Kafka at " + broker.bootstrap() + " does not allow '" + broker.user() + "' to "
                + action + ": " + cause.getMessage() + "; the stream logs in as the stream-client principal, whose ACLs"
                + " allow exactly that (docs/security.md); is MLOPS_KAFKA_STREAM_CLIENT_USER another principal?", cause);
    }
}
