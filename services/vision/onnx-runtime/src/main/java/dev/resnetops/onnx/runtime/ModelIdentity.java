package dev.resnetops.onnx.runtime;

/**
 * Which model answered: enough to find the training run and to tell two exports apart.
 *
 * @param sha256 of the .onnx file as loaded
 * @param provider the ONNX Runtime execution provider running it (CPU or CUDA)
 */
public record ModelIdentity(String preset, String runId, String sha256, String file, String provider) {}
