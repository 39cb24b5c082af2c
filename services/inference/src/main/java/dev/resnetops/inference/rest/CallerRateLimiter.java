package dev.resnetops.inference.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller of {@code POST /classify}: the token's subject, or the client address when
 * anonymous reads let a caller in without a token. A caller over its rate gets {@link RateLimitedException}
 * (429 with the seconds until a request would be admitted).
 */
@ApplicationScoped
public class CallerRateLimiter {

    /** Idle buckets are dropped beyond this many callers, so random subjects cannot fill the heap. */
    static final int MAX_TRACKED_CALLERS = 10_000;

    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final SecurityIdentity identity;
    private final CurrentVertxRequest request;

    @Inject
    CallerRateLimiter(ClassifyAccessConfig config, SecurityIdentity identity, CurrentVertxRequest request) {
        this(config.rateLimit().perSecond(), config.rateLimit().burst(), System::nanoTime, identity, request);
    }

    CallerRateLimiter(double perSecond, int burst, LongSupplier nanoTime, SecurityIdentity identity,
                      CurrentVertxRequest request) {
        if (perSecond < 0 || (perSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("mlops.classify.rate-limit: per-second must be >= 0 (0 = off) and burst"
                    + " >= 1, found per-second=" + perSecond + ", burst=" + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.identity = identity;
        this.request = request;
    }

    /** Admits the current request or throws {@link RateLimitedException}. */
    void admitCurrentCaller() {
        admit(currentCaller());
    }

    void admit(String caller) {
        if (perSecond == 0) {
            return;
        }
        if (buckets.size() > MAX_TRACKED_CALLERS) {
            long now = nanoTime.getAsLong();
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        double waitSeconds = buckets.computeIfAbsent(caller, c -> new Bucket(burst, nanoTime.getAsLong()))
                .take(nanoTime.getAsLong());
        if (waitSeconds > 0) {
            throw new RateLimitedException(caller, perSecond, burst, (long) Math.ceil(waitSeconds));
        }
    }

    private String currentCaller() {
        if (!identity.isAnonymous()) {
            return identity.getPrincipal().getName();
        }
        var current = request.getCurrent();
        return "anonymous@" + (current == null || current.request().remoteAddress() == null
                ? "unknown" : current.request().remoteAddress().host());
    }

    /** Tokens refill at {@code perSecond} up to {@code burst}; a request takes one. */
    private final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        /** Takes a token and returns 0, or returns the seconds until one is there. */
        synchronized double take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (1 - tokens) / perSecond;
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - updated) / 1e9 * perSecond);
            updated = now;
        }
    }
}
