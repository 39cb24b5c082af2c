package dev.resnetops.cli.client;

import dev.resnetops.contracts.api.Problem;
import java.net.URI;
import java.util.List;

/**
 * A request to the platform API that did not succeed: the server could not be reached, did not answer
 * in time, or answered with an error status (then {@link #status()} and the server's {@link #problems()}).
 */
public final class ApiException extends RuntimeException {

    /** What went wrong, so the command line can say what to do about it. */
    public enum Kind { UNREACHABLE, TIMED_OUT, REJECTED, UNREADABLE_RESPONSE }

    private final Kind kind;
    private final URI uri;
    private final int status;
    private final List<Problem> problems;

    private ApiException(Kind kind, URI uri, int status, String message, List<Problem> problems, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.uri = uri;
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    static ApiException unreachable(URI uri, Throwable cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ApiException(Kind.UNREACHABLE, uri, 0, detail, List.of(), cause);
    }

    static ApiException timedOut(URI uri, String message, Throwable cause) {
        return new ApiException(Kind.TIMED_OUT, uri, 0, message, List.of(), cause);
    }

    static ApiException rejected(URI uri, int status, String message, List<Problem> problems) {
        return new ApiException(Kind.REJECTED, uri, status, message, problems, null);
    }

    static ApiException unreadable(URI uri, int status, String message, Throwable cause) {
        return new ApiException(Kind.UNREADABLE_RESPONSE, uri, status, message, List.of(), cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The URL of the failed request. */
    public URI uri() {
        return uri;
    }

    /** The HTTP status of the answer, 0 when there was none. */
    public int status() {
        return status;
    }

    /** Every bad field the server named (field: message); empty when it named none. */
    public List<Problem> problems() {
        return problems;
    }

    /** 4xx: the request itself was wrong (bad field, unknown id, missing token); fixing it is up to the user. */
    public boolean isClientError() {
        return kind == Kind.REJECTED && status >= 400 && status < 500;
    }
}
