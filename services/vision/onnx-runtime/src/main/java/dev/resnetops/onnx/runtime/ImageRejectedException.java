package dev.resnetops.onnx.runtime;

/**
 * One image cannot be classified; the message says why. In a batch the rest goes on (the image becomes an
 * {@link ImageResult.Rejected}); {@link OnnxClassifier#prepare} throws it to its caller.
 */
public final class ImageRejectedException extends RuntimeException {

    ImageRejectedException(String message) {
        super(message);
    }
}
