package dev.resnetops.inference.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class CoordinatorContactTest {

    private static final Duration LIMIT = Duration.ofSeconds(15);

    @Test
    void aHeartbeatSilenceLongerThanTheSessionTimeoutMeansTheBrokerIsLost() {
        assertThat(new CoordinatorContact(() -> 16, LIMIT).lost()).isTrue();
        assertThat(new CoordinatorContact(() -> 16, LIMIT).silence()).isEqualTo(Duration.ofSeconds(16));
        assertThat(new CoordinatorContact(() -> 3, LIMIT).lost()).isFalse();
    }

    @Test
    void beforeTheFirstHeartbeatNothingIsReportedLost() {
        assertThat(new CoordinatorContact(() -> -1, LIMIT).lost()).isFalse();
        assertThat(new CoordinatorContact(() -> -1, LIMIT).silence()).isEqualTo(Duration.ZERO);
    }

    @Test
    void readsTheCoordinatorsHeartbeatMetricByNameAndGroup() {
        MetricName heartbeat = new MetricName(CoordinatorContact.HEARTBEAT_METRIC, CoordinatorContact.COORDINATOR_GROUP,
                "", Map.of());
        MetricName sameNameOtherGroup = new MetricName(CoordinatorContact.HEARTBEAT_METRIC, "producer-metrics", "",
                Map.of());
        CoordinatorContact contact = CoordinatorContact.of(Map.of(heartbeat, metric(20.0), sameNameOtherGroup,
                metric(0.0)), LIMIT);
        assertThat(contact.lost()).isTrue();
        assertThat(CoordinatorContact.of(Map.of(), LIMIT).lost()).as("no such metric: never reported lost").isFalse();
    }

    private static Metric metric(double value) {
        return new Metric() {
            @Override
            public MetricName metricName() {
                return null;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        };
    }
}
