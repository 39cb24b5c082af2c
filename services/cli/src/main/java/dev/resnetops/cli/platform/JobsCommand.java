package dev.resnetops.cli.platform;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code mlops jobs}: training jobs on the platform (through its HTTP API). */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "Submit training jobs to the platform, follow and cancel them (needs the platform running: ./mlops up).",
        subcommands = {JobsSubmitCommand.class, JobsListCommand.class, JobsShowCommand.class, JobsCancelCommand.class})
public final class JobsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
