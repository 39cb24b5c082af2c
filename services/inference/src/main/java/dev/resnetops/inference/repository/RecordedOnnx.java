package dev.resnetops.inference.repository;

import java.time.Instant;
import java.util.UUID;

/**
 * The evaluator's record of a registered version's ONNX file ({@code model_integrity}): what a file
 * downloaded from MLflow must be before inference serves it.
 */
public record RecordedOnnx(String model, int version, String sha256, long sizeBytes, UUID jobId, Instant recordedAt) {
}
