package dev.resnetops.inference.rest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Who may call {@code POST /classify}, how often, and how large an image it may send ({@code mlops.classify.*},
 * {@code MLOPS_CLASSIFY_*}).
 */
@ConfigMapping(prefix = "mlops.classify")
public interface ClassifyAccessConfig {

    /**
     * The lowest role that may classify (viewer, submitter or admin). Read by {@code @RolesAllowed} on
     * {@link ClassifyResource}; declared here so a typo in the key is refused at start.
     */
    @WithDefault("viewer")
    String role();

    RateLimit rateLimit();

    /**
     * Largest image {@code POST /classify} accepts, in pixels, checked from the header before decoding. Lower
     * than the platform's limit for the stream and datasets (40 MP, {@code ImageLimits}): any caller with a
     * viewer token can reach this endpoint, and 16 MP still covers a phone camera's photo. Above the
     * service's {@code mlops.inference.max-pixels} it has no effect.
     */
    @WithDefault("16000000")
    long maxPixels();

    /**
     * A token bucket per caller: one model serves everybody, and without a limit one client's loop takes
     * every core from the rest. Bulk classification belongs on the Kafka stream, which has back-pressure.
     */
    interface RateLimit {
        /** Requests per second a caller may keep up; 0 turns the limit off. */
        @WithDefault("20")
        double perSecond();

        /** Requests a caller may send at once after being idle. */
        @WithDefault("40")
        int burst();
    }
}
