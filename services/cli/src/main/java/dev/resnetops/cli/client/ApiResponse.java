package dev.resnetops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A successful response: the status (e.g. 201 created vs 200 replayed), the typed body and the raw JSON
 * it came from, for {@code --json}.
 */
public record ApiResponse<T>(int status, T body, JsonNode json) {
}
