package dev.resnetops.tracking;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Artifact paths and how they map onto the tracking server's artifact proxy.
 *
 * <p>A server started with {@code --serve-artifacts} gives runs an artifact URI
 * {@code mlflow-artifacts:/<experiment>/<run>/artifacts} (or {@code mlflow-artifacts://host:port/...}).
 * The path after the scheme is relative to the proxy's root, so the file {@code model/model.onnx} of that
 * run is {@code /api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/model/model.onnx}.
 */
final class ArtifactPaths {

    static final String PROXY_ROOT = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final String SCHEME = "mlflow-artifacts";

    private ArtifactPaths() {
    }

    /**
     * A relative artifact path with '/' separators, no leading or trailing '/', no empty, '.' or '..'
     * segments (the server refuses those anyway, but only after the bytes were sent). Null or "" is the root.
     */
    static String normalize(String path) {
        if (path == null) {
            return "";
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.replace('\\', '/').split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("artifact path '" + path + "' must not contain '.' or '..' segments");
            }
            segments.add(segment);
        }
        return String.join("/", segments);
    }

    /** Joins relative artifact paths, skipping empty ones. */
    static String join(String first, String second) {
        String a = normalize(first);
        String b = normalize(second);
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "/" + b;
    }

    /**
     * The proxy-relative root of a run's artifacts, e.g. {@code 1/abc/artifacts}. Other artifact URIs
     * (file:, s3:) mean the server does not proxy artifacts and the client cannot reach them.
     */
    static String proxyRoot(String runId, String artifactUri) {
        URI uri;
        try {
            uri = URI.create(artifactUri);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("run " + runId + " has an artifact URI that is not a URI: " + artifactUri, e);
        }
        if (!SCHEME.equals(uri.getScheme())) {
            throw new IllegalStateException("run " + runId + " stores its artifacts at " + artifactUri
                    + ", which this client cannot reach: start the MLflow server with --serve-artifacts so runs get "
                    + "mlflow-artifacts:/ URIs (artifacts uploaded over HTTP)");
        }
        return normalize(uri.getPath());
    }

    /** The request path of an artifact on the proxy, each segment percent-encoded. */
    static String proxyPath(String proxyRoot, String relativePath) {
        String full = join(proxyRoot, relativePath);
        List<String> encoded = new ArrayList<>();
        for (String segment : full.split("/")) {
            encoded.add(encodeSegment(segment));
        }
        return PROXY_ROOT + String.join("/", encoded);
    }

    /** Percent-encoding for one path segment or query value ({@code URLEncoder} writes spaces as '+'). */
    static String encodeSegment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
