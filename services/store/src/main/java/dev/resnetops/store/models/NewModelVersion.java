package dev.resnetops.store.models;

import java.util.UUID;

/**
 * A {@code model_versions} row to insert.
 *
 * @param version          MLflow's version number of {@code registeredModel}
 * @param onnxSizeBytes    the ONNX file's size; with {@code onnxSha256}, what inference checks a download against
 * @param parityReportJson the parity gate's report, as written beside the ONNX file
 */
public record NewModelVersion(UUID id, String registeredModel, int version, UUID jobId, UUID datasetVersionId,
                              String onnxLocation, String onnxSha256, long onnxSizeBytes, String checkpointSha256,
                              boolean parityPassed, String parityReportJson, double top1, double top5) {
}
