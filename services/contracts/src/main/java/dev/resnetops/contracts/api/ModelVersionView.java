package dev.resnetops.contracts.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A registered model version: the ONNX export of one job, its test-set numbers, the parity gate's
 * verdict, and the aliases ("candidate", "champion") pointing at it.
 */
public record ModelVersionView(String model, int version, UUID jobId, UUID datasetVersionId, Double top1, Double top5,
                               boolean parityPassed, JsonNode parityReport, String onnxLocation, String onnxSha256,
                               List<String> aliases, Instant createdAt) {
}
