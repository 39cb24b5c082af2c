package dev.resnetops.inference.service;

/** The model's decoder refused the image (not a JPEG or PNG, corrupt, truncated, too many pixels); REST answers 400. */
public final class UnclassifiableImageException extends RuntimeException {

    /** @param reason the decoder's explanation, passed on to the client as it is */
    public UnclassifiableImageException(String reason) {
        super(reason);
    }
}
