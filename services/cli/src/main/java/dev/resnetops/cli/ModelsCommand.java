package dev.resnetops.cli;

import dev.resnetops.cli.platform.ModelsPromoteCommand;
import dev.resnetops.cli.platform.ModelsRegisteredCommand;
import dev.resnetops.vision.model.ModelPreset;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.ResNet;
import java.io.PrintWriter;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code mlops models}: every preset with its parameter count. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"List the model presets with their parameter counts (for 1000 classes and for --classes).",
                "Subcommands act on the platform's model registry."},
        subcommands = {ModelsRegisteredCommand.class, ModelsPromoteCommand.class})
final class ModelsCommand implements Runnable {

    @Option(names = "--classes", defaultValue = "10", description = "Number of classes for the second count (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--channels", defaultValue = "3", description = "Input channels (1 for grayscale; default: ${DEFAULT-VALUE}).")
    int channels;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (classes < 1 || channels < 1) {
            throw new IllegalArgumentException("--classes and --channels must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        String header = String.format("%-22s %5s %-8s %-9s %14s %14s  %s", "preset", "depth", "stem",
                "avgpool", "params@1000", "params@" + classes, "description");
        out.println(header);
        out.println("-".repeat(header.length() + 20));
        for (ModelPreset preset : ModelZoo.presets()) {
            String stages = preset.avgPoolShortcutStages().isEmpty() ? "-"
                    : preset.avgPoolShortcutStages().stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
            out.printf("%-22s %5d %-8s %-9s %,14d %,14d  %s%n", preset.name(), preset.depth(),
                    preset.stem().name().toLowerCase(), stages, ResNet.parameterCount(preset, 1000, channels),
                    ResNet.parameterCount(preset, classes, channels), preset.description());
            out.flush();
        }
        out.println();
        out.println("avgpool: stages whose downsampling shortcut is AvgPool(2, ceil) -> 1x1 conv -> BN. "
                + "Counts are for " + channels + "-channel input; pooling adds no parameters.");
        out.flush();
    }
}
