package dev.resnetops.onnx.runtime;

/**
 * An image decoded and preprocessed by {@link OnnxClassifier#prepare}, ready for
 * {@link OnnxClassifier#classifyPrepared}: the model's input tensor for this one image (CHW floats,
 * normalised as the model was trained).
 *
 * @param name   the input's name, carried into its result
 * @param sample {@code channels x inputSize x inputSize} values of the model that prepared it
 */
public record PreparedImage(String name, float[] sample) {}
