package dev.resnetops.cli.platform;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mlops workflows}: declarative pipelines (workflows/*.yaml) run by the platform. */
@Command(name = "workflows", mixinStandardHelpOptions = true,
        description = "Run workflows (the paper's ablation, train-evaluate-promote, sweeps) on the platform, follow and"
                + " cancel them (needs the platform running: ./mlops up).",
        subcommands = {WorkflowsListCommand.class, WorkflowsRunCommand.class, WorkflowsShowCommand.class,
            WorkflowsCancelCommand.class})
public final class WorkflowsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
