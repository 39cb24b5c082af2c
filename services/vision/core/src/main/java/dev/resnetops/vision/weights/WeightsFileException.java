package dev.resnetops.vision.weights;

/**
 * A weights file that cannot be used: truncated, malformed, not a state dict of tensors, or a
 * pickle that asks for anything else. The message names the file and the problem and is meant to be
 * shown as is; nothing is loaded when it is thrown.
 */
public final class WeightsFileException extends IllegalArgumentException {

    public WeightsFileException(String message) {
        super(message);
    }

    public WeightsFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
