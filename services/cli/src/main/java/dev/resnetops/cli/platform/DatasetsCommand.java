package dev.resnetops.cli.platform;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code mlops datasets}: datasets registered on the platform (through its HTTP API). */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "Register datasets on the platform and follow their ingestion (needs the platform running: ./mlops up).",
        subcommands = {DatasetsAddCommand.class, DatasetsListCommand.class, DatasetsShowCommand.class})
public final class DatasetsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
