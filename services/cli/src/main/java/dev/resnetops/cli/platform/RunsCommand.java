package dev.resnetops.cli.platform;

import picocli.CommandLine.Command;

/** {@code mlops runs}: training runs side by side. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Compare training runs (jobs) side by side; the MLflow UI shows the same runs in its compare view.",
        subcommands = RunsCompareCommand.class)
public final class RunsCommand {
}
