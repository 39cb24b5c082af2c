package dev.resnetops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.onnx.export.CheckpointExport;
import dev.resnetops.onnx.export.ParityGate;
import dev.resnetops.onnx.export.ParityReport;
import dev.resnetops.onnx.export.ParitySample;
import dev.resnetops.vision.data.ShardedDataset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlops export}: a checkpoint to an ONNX model, accepted only through the parity gate. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Export a checkpoint as an ONNX model. The model is kept only if ONNX Runtime agrees with DJL "
                + "on a held-out sample (test images of --dataset, else random tensors); the parity report is "
                + "printed and saved beside the model as <name>.parity.json.")
final class ExportCommand implements Callable<Integer> {

    @Option(names = {"-c", "--checkpoint"}, required = true, paramLabel = "DIR",
            description = "A run folder of 'mlops train' or its checkpoint/ folder.")
    Path checkpoint;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "The .onnx file to write.")
    Path out;

    @Option(names = {"-d", "--dataset"},
            description = "Dataset whose test images form the parity sample (as for 'mlops evaluate'); "
                    + "without it the gate uses " + ParitySample.DEFAULT_RANDOM_TENSORS + " random tensors.")
    String dataset;

    @Option(names = "--data-cache", paramLabel = "DIR", description = "Where imported datasets are packed.")
    Path dataCache;

    @Option(names = "--parity-images", defaultValue = "" + ParitySample.DEFAULT_TEST_IMAGES,
            description = "Test images in the parity sample (default: ${DEFAULT-VALUE}).")
    int parityImages;

    @Option(names = "--run-id", description = "Training run id stored in the model (default: the run folder's name).")
    String runId;

    @Option(names = "--json", description = "Print the parity report as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (parityImages < 1) {
            throw new IllegalArgumentException("--parity-images must be at least 1, found " + parityImages);
        }
        ShardedDataset data = dataset == null ? null : DatasetOptions.open(dataset, dataCache);
        long start = System.nanoTime();
        ParityReport report = CheckpointExport.run(checkpoint, out, data, parityImages, runId, new ParityGate());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            System.out.println(report.summary());
            System.out.printf("wrote %s (sha256 %s) and %s in %.1fs%n", out, report.modelSha256(),
                    ParityGate.reportPath(out), seconds);
        }
        return 0;
    }
}
