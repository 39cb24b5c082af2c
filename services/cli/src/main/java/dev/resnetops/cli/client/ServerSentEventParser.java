package dev.resnetops.cli.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code text/event-stream} format, line by line (the HTML Living Standard's rules, as far as the
 * platform uses them): {@code event:} names the event, {@code data:} lines are joined with newlines, a
 * blank line dispatches it, lines starting with {@code :} are comments, other fields are ignored.
 */
final class ServerSentEventParser {

    private static final String DEFAULT_NAME = "message";

    private final ObjectMapper json;
    private String name = DEFAULT_NAME;
    private final List<String> data = new ArrayList<>();

    ServerSentEventParser(ObjectMapper json) {
        this.json = json;
    }

    /** The event this line completes, if any. */
    Optional<ServerSentEvent> accept(String line) {
        if (line.isEmpty()) {
            if (data.isEmpty()) {
                name = DEFAULT_NAME;
                return Optional.empty();
            }
            String text = String.join("\n", data);
            ServerSentEvent event;
            try {
                event = new ServerSentEvent(name, json.readTree(text));
            } catch (JacksonException e) {
                throw new IllegalArgumentException("event '" + name + "' carries data that is not JSON: " + text, e);
            } finally {
                name = DEFAULT_NAME;
                data.clear();
            }
            return Optional.of(event);
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (field.equals("event")) {
            name = value;
        } else if (field.equals("data")) {
            data.add(value);
        }
        return Optional.empty();
    }
}
