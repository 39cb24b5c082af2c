package dev.resnetops.evaluator.service;

import dev.resnetops.onnx.export.ParityReport;
import dev.resnetops.vision.eval.EvaluationReport;
import java.nio.file.Path;
import java.util.List;

/**
 * What the evaluator computed on its own machine for one checkpoint, before anything is sent to MLflow
 * or recorded: the test-set report, the gated ONNX file and its parity report.
 *
 * @param epochs         epochs the checkpoint was trained for: the step of the test metrics in MLflow
 * @param reportDir      {@code <job folder>/evaluation}: metrics.json, per_class.csv, confusion_matrix.csv/png
 * @param onnxFile       {@code <job folder>/model.onnx}; {@code model.rejected.onnx} when the parity gate failed
 * @param parityFile     the parity report beside it
 * @param onnxSha256     SHA-256 of {@code onnxFile}, and {@code onnxSizeBytes} its size: the integrity record
 * @param checkpointSha256 SHA-256 of the checkpoint's {@code model.params}
 */
public record LocalResult(String checkpointLocation, String preset, int epochs, List<String> classes,
                          EvaluationReport report, Path reportDir, Path onnxFile, Path parityFile,
                          ParityReport parity, String onnxSha256, long onnxSizeBytes, String checkpointSha256) {

    public Path confusionMatrixPng() {
        return reportDir.resolve(dev.resnetops.vision.eval.EvaluationReportWriter.CONFUSION_PNG);
    }
}
