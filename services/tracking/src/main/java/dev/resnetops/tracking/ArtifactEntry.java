package dev.resnetops.tracking;

/**
 * A file or folder in a run's artifacts.
 *
 * @param path      relative to the run's artifact root, '/'-separated (e.g. {@code model/model.onnx})
 * @param directory whether it is a folder
 * @param sizeBytes the file size; 0 for folders
 */
public record ArtifactEntry(String path, boolean directory, long sizeBytes) {
}
