package dev.resnetops.onnx.export;

/**
 * The exporter met a preset, block or parameter it does not know how to write. Thrown instead of
 * writing a graph that would load fine and compute something else.
 */
public final class UnsupportedModelException extends RuntimeException {

    public UnsupportedModelException(String message) {
        super(message);
    }
}
