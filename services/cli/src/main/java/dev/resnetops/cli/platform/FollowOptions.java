package dev.resnetops.cli.platform;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --follow} and {@code --interval} of the commands that can watch a job or a workflow run until it ends. */
final class FollowOptions {

    @Option(names = {"-f", "--follow"},
            description = "Follow it live until it ends (exit 0 if it COMPLETED, 1 otherwise).")
    boolean enabled;

    @Option(names = "--interval", defaultValue = "2", paramLabel = "SECONDS",
            description = "How often --follow asks for news (default: ${DEFAULT-VALUE} s).")
    double interval;

    /** The poll interval; at least 200 ms, so a slip of the finger cannot flood the API. */
    Duration pollInterval() {
        return Duration.ofMillis(Math.max(200, (long) (interval * 1000)));
    }
}
