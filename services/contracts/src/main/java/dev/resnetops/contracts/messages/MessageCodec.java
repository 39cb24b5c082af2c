package dev.resnetops.contracts.messages;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;

/**
 * JSON form of {@link Message}s. Reading never throws anything but {@link MalformedMessageException},
 * whose message names the problem (unknown type, missing field, unsupported schema version, not JSON),
 * so a consumer can dead-letter a bad record with a reason and keep going.
 */
public final class MessageCodec {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Adding a field is a compatible change within a schema version; removing one is not.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private MessageCodec() {
    }

    public static String toJson(Message message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static Message fromJson(byte[] json) {
        if (json == null) {
            throw new MalformedMessageException("empty record value (expected a JSON message)");
        }
        return fromJson(new String(json, StandardCharsets.UTF_8));
    }

    public static Message fromJson(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedMessageException("empty record value (expected a JSON message)");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new MalformedMessageException("not JSON: " + e.getOriginalMessage());
        }
        if (!tree.isObject()) {
            throw new MalformedMessageException("expected a JSON object, got " + tree.getNodeType());
        }
        if (!tree.hasNonNull("type")) {
            throw new MalformedMessageException("no \"type\" field; expected one of " + knownTypes());
        }
        try {
            return JSON.treeToValue(tree, Message.class);
        } catch (InvalidTypeIdException e) {
            throw new MalformedMessageException("unknown message type '" + e.getTypeId() + "'; expected one of "
                    + knownTypes());
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new MalformedMessageException(tree.get("type").asText() + ": " + cause.getMessage());
        } catch (JacksonException e) {
            throw new MalformedMessageException(tree.get("type").asText() + ": " + e.getOriginalMessage());
        }
    }

    /** Reads a message that must be of one type, e.g. on a topic that carries only commands of that type. */
    public static <T extends Message> T fromJson(String json, Class<T> type) {
        Message message = fromJson(json);
        if (!type.isInstance(message)) {
            throw new MalformedMessageException("expected a " + type.getSimpleName() + " message, got "
                    + message.getClass().getSimpleName());
        }
        return type.cast(message);
    }

    /** The mapper used for messages, for code that embeds message-compatible JSON (e.g. API bodies). */
    public static ObjectMapper mapper() {
        return JSON.copy();
    }

    private static String knownTypes() {
        return java.util.Arrays.stream(Message.class.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value())
                .map(com.fasterxml.jackson.annotation.JsonSubTypes.Type::name)
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
