package dev.resnetops.cli;

import dev.resnetops.cli.platform.WeightsListCommand;
import dev.resnetops.cli.platform.WeightsUploadCommand;
import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.weights.MappedWeights;
import dev.resnetops.vision.weights.StateDictMapper;
import dev.resnetops.vision.weights.StoredTensor;
import dev.resnetops.vision.weights.WeightsFile;
import dev.resnetops.vision.weights.WeightsReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mlops weights FILE [--preset P]}: what a downloaded weights file holds and whether it fits a
 * preset, without starting a job. Reads safetensors and torch.save files in Java (no Python, no
 * pickle execution), so it is also the safe way to look inside a file of unknown origin.
 */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = {"Inspect a safetensors or PyTorch .pth weights file: format, SHA-256, tensors and dtypes.",
                "With --preset, check that every tensor fits that preset (torchvision or timm key names) and "
                        + "list what a job would do differently (new classifier head, adapted first convolution).",
                "'weights upload NAME FILE' and 'weights list' keep files on the platform for jobs (init weights:NAME)."},
        subcommands = {WeightsUploadCommand.class, WeightsListCommand.class})
final class WeightsCommand implements Runnable {

    // Optional to picocli, so that the subcommands need no FILE of this command; required in run().
    @Parameters(paramLabel = "FILE", arity = "0..1",
            description = "A .safetensors or .pth file (torchvision, timm, torch.save).")
    Path file;

    @Option(names = "--preset", description = "Check the file against this preset (see `mlops models`), "
            + "e.g. resnet50, resnet50-paper, resnet50d.")
    String preset;

    @Option(names = "--classes", description = "Classes of the job: it gets a new classifier head, as a fine-tuning "
            + "job does (a weights file names no classes). Default: the file's own head, checked like the rest.")
    Integer classes;

    @Option(names = "--channels", defaultValue = "3",
            description = "Input channels of the job's images (1 for grayscale; default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--tensors", description = "List every tensor with its dtype and shape.")
    boolean listTensors;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        if (file == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'FILE'"
                    + " (or a subcommand: upload, list)");
        }
        WeightsFile weights = WeightsReader.read(file);
        Map<String, Long> dtypes = new TreeMap<>();
        weights.tensors().values().forEach(t -> dtypes.merge(t.dtype().toString(), 1L, Long::sum));
        out.printf("file:     %s%nformat:   %s%nsha256:   %s%ntensors:  %d (%s), %,d values%n", weights.path(),
                weights.format(), weights.sha256(), weights.tensors().size(), dtypes, weights.parameterCount());
        weights.notes().forEach(note -> out.println("note:     " + note));
        if (listTensors) {
            TextTable table = TextTable.withColumns("tensor", "dtype", "shape");
            for (StoredTensor tensor : weights.tensors().values()) {
                table.row(tensor.name(), tensor.dtype(), StoredTensor.describe(tensor.shape()));
            }
            table.print(out, "  ");
        }
        if (preset != null) {
            ModelPreset model = ModelZoo.preset(preset);
            int jobClasses = classes != null ? classes : fileClasses(weights);
            MappedWeights mapped = StateDictMapper.map(weights.tensors(), model, channels, jobClasses, classes != null);
            out.printf("fits:     %s with %d input channel%s and %d classes (%s key names)%n", model.name(), channels,
                    channels == 1 ? "" : "s", jobClasses, mapped.naming().label());
            mapped.notes().forEach(note -> out.println("  - " + note));
        }
        out.flush();
    }

    private static int fileClasses(WeightsFile weights) {
        StoredTensor head = weights.tensors().get("fc.bias");
        if (head == null) {
            head = weights.tensors().get("module.fc.bias");
        }
        if (head == null || head.shape().length != 1) {
            throw new IllegalArgumentException(weights.path() + " has no fc.bias to tell its classes; pass --classes");
        }
        return (int) head.shape()[0];
    }
}
