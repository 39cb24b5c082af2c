package dev.resnetops.tracking;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A version of a registered model.
 *
 * @param version       MLflow numbers versions 1, 2, ... per model and sends them as strings
 * @param source        the artifact URI the version was registered from
 * @param runId         the run that produced it; empty when registered without a run
 * @param statusMessage why registration failed, when it did; otherwise usually empty
 * @param aliases       the aliases currently pointing at this version (e.g. {@code champion})
 */
public record ModelVersion(String name, String version, ModelVersionStatus status, String statusMessage,
                           String source, String runId, String description, Map<String, String> tags,
                           List<String> aliases, Instant created, Instant lastUpdated) {

    public ModelVersion {
        tags = Map.copyOf(tags);
        aliases = List.copyOf(aliases);
    }
}
