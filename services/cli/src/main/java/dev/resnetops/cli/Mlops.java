package dev.resnetops.cli;

import dev.resnetops.cli.platform.ClassifyBenchmarkCommand;
import dev.resnetops.cli.platform.ClassifyCommand;
import dev.resnetops.cli.platform.DatasetsCommand;
import dev.resnetops.cli.platform.DemoCommand;
import dev.resnetops.cli.platform.JobsCommand;
import dev.resnetops.cli.platform.RunsCommand;
import dev.resnetops.cli.platform.StreamCommand;
import dev.resnetops.cli.platform.WorkflowsCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code mlops} command line: local training and evaluation, and a client of the platform's HTTP API. */
@Command(
        name = "mlops",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Train, evaluate and serve the improved ResNet-50 image classifier.",
        subcommands = {ModelsCommand.class, TrainCommand.class, EvaluateCommand.class, BenchmarkCommand.class,
                ExportCommand.class, PredictCommand.class, InferenceBenchmarkCommand.class, DatasetsCommand.class,
                JobsCommand.class, WorkflowsCommand.class, RunsCommand.class, ClassifyCommand.class,
                StreamCommand.class, DemoCommand.class, ClassifierThroughputCommand.class, LoaderBenchmarkCommand.class,
                ClassifyBenchmarkCommand.class, WeightsCommand.class,
                CommandLine.HelpCommand.class})
public final class Mlops implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Mlops());
        cli.setExecutionExceptionHandler(new UserErrorHandler());
        // A later flag of the same name wins, so a script can pass defaults first and the user override them.
        cli.setOverwrittenOptionsAllowed(true);
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
