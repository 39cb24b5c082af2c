package dev.resnetops.tracking;

import java.time.Instant;

/**
 * What MLflow knows about a run apart from its data.
 *
 * @param artifactUri where the run's artifacts live; with a server started with
 *                    {@code --serve-artifacts} it is {@code mlflow-artifacts:/<experiment>/<run>/artifacts}
 * @param endTime     null while the run has not ended
 */
public record RunInfo(String runId, String experimentId, String runName, RunStatus status, Instant startTime,
                      Instant endTime, String artifactUri, String lifecycleStage) {

    /**
     * The URI of an artifact of this run, as a model version's {@code source} wants it
     * (e.g. {@code artifactSource("model")} for a model logged under {@code model/}).
     */
    public String artifactSource(String artifactPath) {
        String relative = ArtifactPaths.normalize(artifactPath);
        return relative.isEmpty() ? artifactUri : artifactUri + "/" + relative;
    }
}
