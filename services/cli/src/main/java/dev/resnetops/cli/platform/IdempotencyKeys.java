package dev.resnetops.cli.platform;

import java.util.UUID;

/**
 * The {@code Idempotency-Key} of a creating request: the user's, or a random one made once per
 * invocation, so the client's own retry of a request whose answer was lost cannot create a second
 * resource, while two separate invocations create two.
 */
final class IdempotencyKeys {

    private IdempotencyKeys() {}

    static String orRandom(String given) {
        if (given == null) {
            return UUID.randomUUID().toString();
        }
        if (given.isBlank()) {
            throw new IllegalArgumentException("--idempotency-key must not be blank");
        }
        return given.strip();
    }
}
