package dev.resnetops.onnx.runtime;

/** A class with its softmax probability. {@code index} is the model's output position. */
public record ScoredLabel(int index, String label, float probability) {}
