package dev.resnetops.evaluator.service;

import dev.resnetops.onnx.export.ParityReport;
import dev.resnetops.vision.eval.EvaluationReport;
import dev.resnetops.vision.eval.EvaluationReportWriter;
import dev.resnetops.vision.weights.InitReport;
import java.nio.file.Path;
import java.util.List;

/**
 * What the evaluator computed on its own machine for one checkpoint, before anything is sent to MLflow
 * or recorded: the gated ONNX file, its parity report and the test-set report of that file.
 *
 * @param epochs         epochs the checkpoint was trained for: the step of the test metrics in MLflow
 * @param report         the test split evaluated on {@code onnxFile} by {@code engine}
 * @param reportDir      {@code <job folder>/evaluation}: metrics.json, per_class.csv, confusion_matrix.csv/png
 * @param onnxFile       {@code <job folder>/model.onnx}; {@code model.rejected.onnx} when the parity gate failed
 * @param parityFile     the parity report beside it
 * @param onnxSha256     SHA-256 of {@code onnxFile}, and {@code onnxSizeBytes} its size: the integrity record
 * @param checkpointSha256 SHA-256 of the checkpoint's {@code model.params}
 * @param engine         what computed {@code report}
 * @param init           where the checkpoint's training started from
 */
public record LocalResult(String checkpointLocation, String preset, int epochs, List<String> classes,
                          EvaluationReport report, Path reportDir, Path onnxFile, Path parityFile,
                          ParityReport parity, String onnxSha256, long onnxSizeBytes, String checkpointSha256,
                          Engine engine, InitReport init) {

    public LocalResult {
        // A checkpoint written before provenance was recorded started from random weights.
        init = init == null ? InitReport.random() : init;
    }

    /**
     * The engine that evaluated the test split. Runs evaluated before it was ONNX Runtime (DJL on the
     * checkpoint) have no such tags; these make the two kinds distinguishable in MLflow.
     *
     * @param name      {@value #ONNX_RUNTIME}
     * @param provider  its execution provider (CPU)
     * @param threads   the threads it evaluated with, over all concurrent runs
     * @param concurrentBatches test-split batches it ran at once
     */
    public record Engine(String name, String provider, int threads, int concurrentBatches) {
        public static final String ONNX_RUNTIME = "onnxruntime";
    }

    public Path confusionMatrixPng() {
        return reportDir.resolve(EvaluationReportWriter.CONFUSION_PNG);
    }

    /** The name of the file whose numbers these are: {@code model.onnx}, or {@code model.rejected.onnx}. */
    public String evaluatedFile() {
        return onnxFile.getFileName().toString();
    }
}
