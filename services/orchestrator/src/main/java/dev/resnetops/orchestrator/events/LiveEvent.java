package dev.resnetops.orchestrator.events;

/**
 * One server-sent event of a live view.
 *
 * @param name the SSE event name: {@code job} or {@code dataset} for a snapshot, the message type
 *             ({@code TrainingProgress}, {@code DatasetReady}, ...) for a platform event, {@code heartbeat}
 * @param json the event's data, a JSON object
 */
public record LiveEvent(String name, String json) {
}
