package dev.resnetops.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mlops jobs}: training jobs on the platform (through its HTTP API). */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "Submit training jobs to the platform, follow and cancel them (needs the platform running: ./mlops up).",
        subcommands = {JobsSubmitCommand.class, JobsListCommand.class, JobsShowCommand.class, JobsCancelCommand.class})
final class JobsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
