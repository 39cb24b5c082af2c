package dev.resnetops.tracking;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Run artifacts through the tracking server's artifact proxy ({@code --serve-artifacts}): plain HTTP
 * PUT/GET on {@code /api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<path>}, so the
 * JVM needs neither Python nor credentials of the store behind the server.
 */
final class ArtifactProxy {

    /** Types the JDK's table does not know; anything else unknown is sent as bytes. */
    private static final Map<String, String> EXTRA_CONTENT_TYPES = Map.of(
            "yaml", "application/yaml", "yml", "application/yaml", "onnx", "application/octet-stream",
            "md", "text/markdown", "csv", "text/csv", "log", "text/plain");

    private final MlflowHttp http;

    ArtifactProxy(MlflowHttp http) {
        this.http = http;
    }

    void upload(RunInfo run, Path file, String artifactDir) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("cannot upload " + file + " to run " + run.runId() + ": not a regular file");
        }
        String relative = ArtifactPaths.join(artifactDir, file.getFileName().toString());
        String apiPath = ArtifactPaths.proxyPath(ArtifactPaths.proxyRoot(run.runId(), run.artifactUri()), relative);
        http.putFile(apiPath, file, contentType(file), "upload of artifact " + relative + " to run " + run.runId());
    }

    /** Uploads every regular file under {@code folder}, keeping the tree; empty folders have no trace in MLflow. */
    int uploadDirectory(RunInfo run, Path folder, String artifactDir) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("cannot upload " + folder + " to run " + run.runId() + ": not a directory");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + " for upload to run " + run.runId(), e);
        }
        for (Path file : files) {
            Path parent = folder.relativize(file).getParent();
            String subfolder = parent == null ? "" : parent.toString().replace(folder.getFileSystem().getSeparator(), "/");
            upload(run, file, ArtifactPaths.join(artifactDir, subfolder));
        }
        return files.size();
    }

    /**
     * Lists one folder (not recursively) through {@code artifacts/list}, which for proxied runs asks the
     * proxy and answers with paths relative to the run's artifact root.
     */
    List<ArtifactEntry> list(String runId, String path) {
        String relative = ArtifactPaths.normalize(path);
        List<ArtifactEntry> entries = new ArrayList<>();
        String pageToken = "";
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("run_id", runId);
            if (!relative.isEmpty()) {
                query.put("path", relative);
            }
            if (!pageToken.isEmpty()) {
                query.put("page_token", pageToken);
            }
            JsonNode answer = http.get("/api/2.0/mlflow/artifacts/list", query,
                    "list-artifacts '" + relative + "' of run " + runId);
            answer.path("files").forEach(f -> entries.add(MlflowJson.artifactEntry(f)));
            pageToken = answer.path("next_page_token").asText("");
        } while (!pageToken.isEmpty());
        return entries;
    }

    void download(RunInfo run, String path, Path target) {
        String relative = ArtifactPaths.normalize(path);
        if (relative.isEmpty()) {
            throw new IllegalArgumentException("download needs the path of a file inside run " + run.runId() + "'s artifacts");
        }
        String apiPath = ArtifactPaths.proxyPath(ArtifactPaths.proxyRoot(run.runId(), run.artifactUri()), relative);
        http.getFile(apiPath, target, "download of artifact " + relative + " of run " + run.runId());
    }

    static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        String type = EXTRA_CONTENT_TYPES.get(extension);
        if (type == null) {
            type = URLConnection.guessContentTypeFromName(name);
        }
        // Never a form type: the server would parse the body as a form instead of storing it.
        if (type == null || type.startsWith("multipart/") || type.equals("application/x-www-form-urlencoded")) {
            type = "application/octet-stream";
        }
        return type;
    }
}
