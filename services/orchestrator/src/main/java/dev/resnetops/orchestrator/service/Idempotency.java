package dev.resnetops.orchestrator.service;

import dev.resnetops.orchestrator.repository.IdempotencyKeys;
import dev.resnetops.orchestrator.repository.UniqueViolation;
import dev.resnetops.vision.data.Sha256;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a "create" at most once per client {@code Idempotency-Key}: a retry with the same key and the
 * same request gets the first result back; the same key with a different request is refused. Two
 * concurrent first attempts race on the key's primary key; the loser's transaction rolls back and it
 * returns the winner's resource.
 */
@ApplicationScoped
public class Idempotency {

    /** What a create returned, and whether it was a replay of an earlier request. */
    public record Outcome<T>(T value, boolean replayed) {
    }

    private final IdempotencyKeys keys;

    Idempotency(IdempotencyKeys keys) {
        this.keys = keys;
    }

    /**
     * @param scope       the kind of resource ("jobs", "datasets"): keys are per scope
     * @param requestText a canonical text of the request; its hash tells a retry from a different request
     * @param create      creates the resource inside the transaction and returns its id
     * @param read        reads a resource by id (after commit, or for a replay)
     */
    public <T> Outcome<T> run(String scope, Optional<String> key, String requestText, Supplier<UUID> create,
                              Function<UUID, T> read) {
        if (key.isEmpty()) {
            UUID id = QuarkusTransaction.requiringNew().call(create::get);
            return new Outcome<>(read.apply(id), false);
        }
        String hash = Sha256.hex(requestText);
        for (int attempt = 0; ; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> {
                    Optional<IdempotencyKeys.Entry> earlier = keys.find(scope, key.get());
                    if (earlier.isPresent()) {
                        if (!earlier.get().requestHash().equals(hash)) {
                            throw RequestRefused.keyReused(key.get());
                        }
                        return new Outcome<>(read.apply(earlier.get().resourceId()), true);
                    }
                    UUID id = create.get();
                    keys.insert(scope, key.get(), hash, id);
                    return new Outcome<>(read.apply(id), false);
                });
            } catch (UniqueViolation e) {
                if (attempt > 0) {
                    throw e;
                }
                // Another request with this key committed between our read and insert: read it now.
            }
        }
    }
}
