package dev.resnetops.onnx.runtime;

/** One image of a batch cannot be classified; the message says why. The rest of the batch goes on. */
final class ImageRejectedException extends RuntimeException {

    ImageRejectedException(String message) {
        super(message);
    }
}
