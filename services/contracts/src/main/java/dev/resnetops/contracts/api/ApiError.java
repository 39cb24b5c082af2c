package dev.resnetops.contracts.api;

import java.util.List;

/**
 * Body of every error response: the HTTP status, a one-line summary and, for invalid requests, every
 * bad field with its problem (so a client fixes all of them in one go).
 */
public record ApiError(int status, String error, String message, List<Problem> problems) {

    public ApiError {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public static ApiError of(int status, String error, String message) {
        return new ApiError(status, error, message, List.of());
    }
}
