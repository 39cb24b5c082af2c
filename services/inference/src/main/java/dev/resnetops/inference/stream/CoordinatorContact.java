package dev.resnetops.inference.stream;

import java.time.Duration;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Whether an idle consumer still hears from its group coordinator. A session whose broker went away
 * while no images arrived fails nothing (its poll just returns no records), so without this the stream
 * would look healthy until the next image; the consumer's own heartbeat metric shows it much earlier:
 * with the coordinator gone, no heartbeat is sent.
 */
final class CoordinatorContact {

    /** Seconds since the consumer last sent a heartbeat; -1 before its first (the group not joined yet). */
    static final String HEARTBEAT_METRIC = "last-heartbeat-seconds-ago";
    static final String COORDINATOR_GROUP = "consumer-coordinator-metrics";

    private final DoubleSupplier secondsSinceHeartbeat;
    private final Duration silenceLimit;

    /**
     * @param silenceLimit the heartbeat silence after which the broker counts as unreachable; the session
     *                     timeout is the natural choice, since the coordinator drops the member after it too
     */
    CoordinatorContact(DoubleSupplier secondsSinceHeartbeat, Duration silenceLimit) {
        this.secondsSinceHeartbeat = secondsSinceHeartbeat;
        this.silenceLimit = silenceLimit;
    }

    /** Reads the heartbeat metric of a consumer's {@code metrics()}; a consumer without it is never reported lost. */
    static CoordinatorContact of(Map<MetricName, ? extends Metric> metrics, Duration silenceLimit) {
        Metric heartbeat = metrics.entrySet().stream()
                .filter(e -> HEARTBEAT_METRIC.equals(e.getKey().name()) && COORDINATOR_GROUP.equals(e.getKey().group()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        return new CoordinatorContact(heartbeat == null ? () -> -1 : () -> value(heartbeat), silenceLimit);
    }

    /** True when a heartbeat was sent once and none since for longer than the limit. */
    boolean lost() {
        double seconds = secondsSinceHeartbeat.getAsDouble();
        return seconds >= 0 && seconds * 1000 > silenceLimit.toMillis();
    }

    /** The silence, for the readiness check's message. */
    Duration silence() {
        double seconds = secondsSinceHeartbeat.getAsDouble();
        return seconds < 0 ? Duration.ZERO : Duration.ofMillis((long) (seconds * 1000));
    }

    private static double value(Metric metric) {
        return metric.metricValue() instanceof Number n ? n.doubleValue() : -1;
    }
}
