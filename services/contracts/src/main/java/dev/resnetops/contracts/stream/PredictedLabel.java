package dev.resnetops.contracts.stream;

/** One class of a prediction: the model's output index, the class name and its softmax probability. */
public record PredictedLabel(int index, String label, double probability) {}
