package dev.resnetops.evaluator.service;

/**
 * What became of one training event: {@link Kind#DONE} (commit its offset: evaluated, skipped as a
 * duplicate, or unusable and logged) or {@link Kind#RETRY} (keep it: something outside is not ready).
 */
public record Outcome(Kind kind, String reason) {

    public enum Kind { DONE, RETRY }

    public static Outcome done(String reason) {
        return new Outcome(Kind.DONE, reason);
    }

    public static Outcome retry(String reason) {
        return new Outcome(Kind.RETRY, reason);
    }

    public boolean retry() {
        return kind == Kind.RETRY;
    }
}
