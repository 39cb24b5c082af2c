package dev.resnetops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event of a platform live view ({@code GET /jobs/{id}/events}, {@code /datasets/{id}/events}).
 *
 * @param name {@code job}/{@code dataset} (a snapshot), a message type such as {@code TrainingProgress}, or
 *             {@code heartbeat}
 * @param data the event's JSON object
 */
public record ServerSentEvent(String name, JsonNode data) {
}
