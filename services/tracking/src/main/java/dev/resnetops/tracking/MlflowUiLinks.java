package dev.resnetops.tracking;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Links into the MLflow web UI. The UI routes in the URL fragment (a hash router); the routes are the
 * ones of MLflow 3.17's UI bundle: {@code /experiments/:experimentId/runs/:runUuid},
 * {@code /compare-runs?runs=<JSON array>&experiments=<JSON array>} and
 * {@code /models/:modelName/versions/:version}.
 *
 * <p>Experiment and run links carry {@value #MODEL_TRAINING_VIEW}: MLflow 3.17's UI picks between its
 * "GenAI" and "Model training" views from that query parameter, else from the browser's last choice, and
 * a browser that never chose gets GenAI, whatever the experiment's {@code mlflow.experimentKind} tag says
 * (measured with a headless browser: without the parameter an experiment opens on the traces overview
 * and a run is called an "evaluation run").
 */
public final class MlflowUiLinks {

    public static final String MODEL_TRAINING_VIEW = "workflowType=machine_learning";

    private final String base;

    public MlflowUiLinks(URI serverUri) {
        String text = serverUri.toString();
        this.base = text.endsWith("/") ? text : text + "/";
    }

    /** The experiment's table of runs. */
    public URI experiment(String experimentId) {
        return URI.create(base + "#/experiments/" + ArtifactPaths.encodeSegment(experimentId) + "/runs?"
                + MODEL_TRAINING_VIEW);
    }

    public URI run(String experimentId, String runId) {
        return URI.create(base + "#/experiments/" + ArtifactPaths.encodeSegment(experimentId) + "/runs/"
                + ArtifactPaths.encodeSegment(runId) + "?" + MODEL_TRAINING_VIEW);
    }

    /**
     * The UI writes the arrays with {@code JSON.stringify} unencoded and decodes the query repeatedly
     * before parsing it, so percent-encoded arrays open the same page, and they keep the URI valid.
     */
    public URI compareRuns(List<String> experimentIds, List<String> runIds) {
        if (runIds.isEmpty() || experimentIds.isEmpty()) {
            throw new IllegalArgumentException("comparing runs needs at least one run id and its experiment id");
        }
        return URI.create(base + "#/compare-runs?runs=" + ArtifactPaths.encodeSegment(jsonArray(runIds))
                + "&experiments=" + ArtifactPaths.encodeSegment(jsonArray(experimentIds)) + "&"
                + MODEL_TRAINING_VIEW);
    }

    public URI modelVersion(String name, String version) {
        return URI.create(base + "#/models/" + ArtifactPaths.encodeSegment(name) + "/versions/"
                + ArtifactPaths.encodeSegment(version));
    }

    private static String jsonArray(List<String> values) {
        // Run and experiment ids are hex and digits; quoting is all they need, escaping kept for safety.
        return values.stream()
                .map(v -> '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
                .collect(Collectors.joining(",", "[", "]"));
    }
}
