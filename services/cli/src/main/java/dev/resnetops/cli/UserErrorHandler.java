package dev.resnetops.cli;

import dev.resnetops.cli.client.ApiException;
import dev.resnetops.cli.platform.ApiErrorReport;
import dev.resnetops.onnx.export.ParityFailedException;
import dev.resnetops.onnx.export.UnsupportedModelException;
import dev.resnetops.vision.config.InvalidConfigException;
import dev.resnetops.vision.data.DatasetException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Errors a user can cause (bad config, bad dataset, bad checkpoint, a request the platform API refused
 * with a 4xx) print one clear message and exit 2; an unreachable or failing platform prints what to do
 * and exits 1; anything else is a bug and keeps its stack trace.
 */
public final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {

    public static final int USER_ERROR = 2;
    public static final int PLATFORM_ERROR = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        if (e instanceof ApiException api) {
            ApiErrorReport.print(api, cli.getErr());
            return api.isClientError() ? USER_ERROR : PLATFORM_ERROR;
        }
        if (e instanceof InvalidConfigException invalid) {
            cli.getErr().println("error: invalid training configuration:");
            String file = invalid.source().map(name -> name + ": ").orElse("");
            invalid.problems().forEach(p -> cli.getErr().println("  - " + file + p));
            return USER_ERROR;
        }
        if (e instanceof DatasetException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof UncheckedIOException
                || e instanceof ParityFailedException || e instanceof UnsupportedModelException) {
            cli.getErr().println("error: " + e.getMessage());
            return USER_ERROR;
        }
        cli.getErr().println("internal error (please report): " + e);
        e.printStackTrace(cli.getErr());
        return 1;
    }
}
