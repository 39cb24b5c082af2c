package dev.resnetops.messaging;

import dev.resnetops.contracts.messages.Message;

/**
 * A message larger than the outbox accepts ({@code mlops.outbox.max-message-bytes}, under Kafka's own record
 * limit): refused when it is written, so the caller's transaction fails with the reason instead of a row that
 * could never be sent.
 */
public class MessageTooLargeException extends IllegalArgumentException {

    private final long size;
    private final long limit;

    public MessageTooLargeException(Message message, long size, long limit) {
        super(message.getClass().getSimpleName() + " for " + message.topic() + " (key " + message.key() + ") is "
                + size + " bytes, more than the outbox's limit of " + limit + " bytes (mlops.outbox.max-message-bytes,"
                + " kept under Kafka's record limit): send less in one message (e.g. a reference to a file instead"
                + " of its content), or raise the limit together with the broker's message.max.bytes");
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
