package dev.resnetops.orchestrator.service;

import dev.resnetops.contracts.api.Problem;
import java.util.List;

/**
 * A request the platform will not carry out, and why. The REST layer turns the {@link Reason} into the
 * HTTP status; the message and problems go to the client as they are, so they must say what to fix.
 */
public final class RequestRefused extends RuntimeException {

    public enum Reason {
        /** The request itself is wrong (400): {@link #problems()} names every bad field. */
        INVALID,
        /** What the request names does not exist (404). */
        NOT_FOUND,
        /** The request is fine but the state of what it acts on does not allow it now (409). */
        CONFLICT,
        /** An Idempotency-Key reused for a different request (422). */
        KEY_REUSED,
        /** A service the request needs is unreachable; nothing was changed (503). */
        UNAVAILABLE
    }

    private final Reason reason;
    private final List<Problem> problems;

    private RequestRefused(Reason reason, String message, List<Problem> problems) {
        super(message);
        this.reason = reason;
        this.problems = List.copyOf(problems);
    }

    public static RequestRefused invalid(List<Problem> problems) {
        String summary = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
        return new RequestRefused(Reason.INVALID, "invalid request (" + summary + "): "
                + String.join("; ", problems.stream().map(p -> p.field() + ": " + p.message()).toList()), problems);
    }

    public static RequestRefused invalid(String field, String message) {
        return invalid(List.of(new Problem(field, message)));
    }

    public static RequestRefused notFound(String message) {
        return new RequestRefused(Reason.NOT_FOUND, message, List.of());
    }

    public static RequestRefused conflict(String message) {
        return new RequestRefused(Reason.CONFLICT, message, List.of());
    }

    public static RequestRefused unavailable(String message) {
        return new RequestRefused(Reason.UNAVAILABLE, message, List.of());
    }

    public static RequestRefused keyReused(String key) {
        return new RequestRefused(Reason.KEY_REUSED, "Idempotency-Key '" + key + "' was already used for a different"
                + " request; use a new key for a new request", List.of(new Problem("Idempotency-Key", "reused")));
    }

    public Reason reason() {
        return reason;
    }

    public List<Problem> problems() {
        return problems;
    }
}
