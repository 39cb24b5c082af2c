package dev.resnetops.onnx.export;

import ai.djl.ndarray.NDManager;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.data.ShardedDataset;
import dev.resnetops.vision.train.TrainedModel;
import java.nio.file.Path;

/**
 * A checkpoint to a gated ONNX model in one call, for the command line and services: load, export
 * with metadata, run the parity gate, move into place with the report beside it.
 */
public final class CheckpointExport {

    /** Seed of the random tensors used when no dataset is given: fixed, so reruns compare the same inputs. */
    public static final long RANDOM_SAMPLE_SEED = 20240501L;

    private CheckpointExport() {}

    /**
     * @param checkpoint a checkpoint folder or a run folder holding {@code checkpoint/}
     * @param dataset test images for the gate; null gates on {@link ParitySample#DEFAULT_RANDOM_TENSORS} random tensors
     * @param sampleImages how many test images the gate uses (at least a few hundred)
     * @param runId null = the run folder's name
     * @throws ParityFailedException the engines disagree; nothing is written
     */
    public static ParityReport run(Path checkpoint, Path out, ShardedDataset dataset, int sampleImages, String runId,
            ParityGate gate) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainedModel model = TrainedModel.load(checkpoint, manager);
            Preprocessing preprocessing = model.state().preprocessing();
            ParitySample sample;
            if (dataset != null) {
                // Any channel count is fine: evaluation preprocessing converts to the model's channels.
                sample = ParitySample.fromTestSplit(dataset, preprocessing, sampleImages);
            } else {
                sample = ParitySample.random(ParitySample.DEFAULT_RANDOM_TENSORS, preprocessing.channels(),
                        preprocessing.inputSize(), RANDOM_SAMPLE_SEED);
            }
            return gate.exportGated(OnnxExporter.export(model, runId), model.block(), sample, out);
        }
    }
}
