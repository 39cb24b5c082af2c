package dev.resnetops.workflows.definition;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** When a promote step moves its alias to the best candidate (the one with the highest test Top-1). */
public enum PromoteCondition {
    /** Always: the best candidate takes the alias. */
    BEST_TOP1("best-top1"),
    /**
     * Only if the best candidate's Top-1 is at least the alias holder's plus {@code min-improvement}
     * (or nobody holds the alias yet). Guards a production alias against a sweep that went worse.
     */
    BEATS_CHAMPION("beats-champion");

    private final String key;

    PromoteCondition(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    public static Optional<PromoteCondition> fromKey(String key) {
        return Arrays.stream(values()).filter(condition -> condition.key.equals(key)).findFirst();
    }
}
