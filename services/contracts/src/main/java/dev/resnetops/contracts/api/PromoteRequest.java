package dev.resnetops.contracts.api;

/**
 * Body of {@code POST /models/{name}/promote} (optional).
 *
 * @param version the version to make champion; null = the one the "candidate" alias points at
 */
public record PromoteRequest(Integer version) {
}
