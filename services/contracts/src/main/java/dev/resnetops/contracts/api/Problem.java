package dev.resnetops.contracts.api;

/** One thing wrong with a request or a dataset: where ({@code field} or file) and why. */
public record Problem(String field, String message) {
}
