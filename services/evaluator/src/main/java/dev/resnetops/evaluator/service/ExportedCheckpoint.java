package dev.resnetops.evaluator.service;

import dev.resnetops.onnx.export.ParityReport;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.weights.InitReport;
import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint after its export through the parity gate: what the evaluation of the ONNX file needs
 * from the checkpoint, with the DJL model already released.
 *
 * @param epochs        epochs the checkpoint was trained for: the step of the test metrics in MLflow
 * @param preprocessing the checkpoint's, the one DJL's evaluation uses and the export's metadata carries
 * @param seed          the training seed: picks the same test subset as DJL's evaluation when limited
 * @param onnxFile      {@code <job folder>/model.onnx}; {@code model.rejected.onnx} when the gate failed
 * @param parityFile    the parity report beside it
 * @param checkpointSha256 SHA-256 of the checkpoint's {@code model.params}
 * @param init          where the checkpoint's training started from (its provenance)
 */
public record ExportedCheckpoint(String preset, int epochs, List<String> classes, Preprocessing preprocessing,
                                 long seed, Path onnxFile, Path parityFile, ParityReport parity,
                                 String checkpointSha256, InitReport init) {

    public ExportedCheckpoint {
        classes = List.copyOf(classes);
    }
}
