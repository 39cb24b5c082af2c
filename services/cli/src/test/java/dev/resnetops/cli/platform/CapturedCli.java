package dev.resnetops.cli.platform;

import dev.resnetops.cli.Mlops;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code mlops} in-process with stdout and stderr captured, and an environment that holds only
 * MLOPS_HOME (a test folder), so a developer's real MLOPS_API_URL or token never leaks into a test.
 */
final class CapturedCli implements AutoCloseable {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    CapturedCli(Path mlopsHome) {
        this(Map.of("MLOPS_HOME", mlopsHome.toString()));
    }

    CapturedCli(Map<String, String> environment) {
        ApiOptions.environment = environment::get;
    }

    int run(String... args) {
        CommandLine cli = Mlops.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    @Override
    public void close() {
        ApiOptions.environment = System::getenv;
    }
}
