package dev.resnetops.orchestrator.rest;

import dev.resnetops.orchestrator.events.LiveEvent;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/** A live view as {@code text/event-stream}: each event's name, and its JSON as the data line. */
final class ServerSentEvents {

    private ServerSentEvents() {
    }

    static Multi<OutboundSseEvent> of(Multi<LiveEvent> view, Sse sse) {
        // The JSON is written already (the same mapper as the REST answers): text/plain keeps it as it is.
        return view.map(event -> sse.newEventBuilder().name(event.name()).mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, event.json()).build());
    }
}
