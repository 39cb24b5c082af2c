package dev.resnetops.vision.data;

/**
 * Deterministic geometry for evaluation and inference (part of {@link Preprocessing}).
 *
 * @param policy       CENTER_PAD: place the image centred on a zero canvas of the input size (cropping
 *                     centrally if it is larger); RESIZE_CENTER_CROP: resize the shorter side to
 *                     {@code resizeTo}, then take the central input-size square
 * @param resizeTo     RESIZE_CENTER_CROP: target of the shorter side, {@code round(inputSize / 0.875)}
 */
public record EvalResize(Policy policy, int resizeTo) {

    public enum Policy { CENTER_PAD, RESIZE_CENTER_CROP }

    /** The fraction of the resized image kept by the centre crop in the standard ImageNet recipe. */
    public static final double CROP_FRACTION = 0.875;

    public static EvalResize centerPad() {
        return new EvalResize(Policy.CENTER_PAD, 0);
    }

    public static EvalResize resizeCenterCrop(int inputSize) {
        return new EvalResize(Policy.RESIZE_CENTER_CROP, (int) Math.round(inputSize / CROP_FRACTION));
    }
}
