package dev.resnetops.contracts.messages;

/** A Kafka record that is not a valid message of a known type and schema version; the message says why. */
public final class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String problem) {
        super("malformed message: " + problem);
    }
}
