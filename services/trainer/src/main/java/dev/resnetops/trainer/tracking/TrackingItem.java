package dev.resnetops.trainer.tracking;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.resnetops.tracking.DatasetInput;
import java.util.List;
import java.util.Map;

/** One thing to tell MLflow about a job, as stored in {@code tracking_outbox.payload}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TrackingItem.StartRun.class, name = "start-run"),
        @JsonSubTypes.Type(value = TrackingItem.Inputs.class, name = "inputs"),
        @JsonSubTypes.Type(value = TrackingItem.Tags.class, name = "tags"),
        @JsonSubTypes.Type(value = TrackingItem.Metrics.class, name = "metrics"),
        @JsonSubTypes.Type(value = TrackingItem.Artifacts.class, name = "artifacts"),
        @JsonSubTypes.Type(value = TrackingItem.FinishRun.class, name = "finish-run")
})
public sealed interface TrackingItem {

    @JsonIgnore
    String kind();

    /** Create (or, after a resume, reuse) the job's run, with the full configuration and provenance. */
    record StartRun(String experiment, String runName, Map<String, String> params, Map<String, String> tags)
            implements TrackingItem {
        @Override
        public String kind() {
            return "start-run";
        }
    }

    /** The datasets the run reads, as MLflow dataset inputs (logging them again changes nothing). */
    record Inputs(List<DatasetInput> datasets) implements TrackingItem {
        @Override
        public String kind() {
            return "inputs";
        }
    }

    /** Tags set once training starts: where the weights came from and how images are normalised. */
    record Tags(Map<String, String> tags) implements TrackingItem {
        @Override
        public String kind() {
            return "tags";
        }
    }

    /** Metric points with their steps (the epoch number) and times. */
    record Metrics(List<Point> points) implements TrackingItem {
        @Override
        public String kind() {
            return "metrics";
        }
    }

    record Point(String key, double value, long step, long timestampMillis) {
    }

    /** Local files to upload: file path -> artifact folder in the run ("" = the run's root). */
    record Artifacts(Map<String, String> files) implements TrackingItem {
        @Override
        public String kind() {
            return "artifacts";
        }
    }

    /** End the run: FINISHED, FAILED or KILLED. */
    record FinishRun(String status, long endMillis) implements TrackingItem {
        @Override
        public String kind() {
            return "finish-run";
        }
    }
}
