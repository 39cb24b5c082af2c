package dev.resnetops.vision.data;

/**
 * An image refused by {@link ImageLimits} before decoding: too many bytes, too many pixels, or a format
 * that is not accepted. The message names the problem and what to do; callers add the file's name.
 */
public final class ImageRefusedException extends RuntimeException {

    public ImageRefusedException(String message) {
        super(message);
    }
}
