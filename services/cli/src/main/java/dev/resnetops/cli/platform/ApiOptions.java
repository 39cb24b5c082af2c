package dev.resnetops.cli.platform;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.contracts.messages.MessageCodec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Flags every command that talks to the platform API shares: where it is, the token, and --json output. */
final class ApiOptions {

    /** Tests replace the environment; everything else reads the real one. */
    static Function<String, String> environment = System::getenv;

    private static final ObjectMapper JSON = MessageCodec.mapper();

    @Option(names = "--api", paramLabel = "URL", description = "Platform API URL (default: $MLOPS_API_URL, else "
            + "MLOPS_API_URL in $MLOPS_HOME/infra/infra.env, else " + ApiSettings.DEFAULT_API_URL + ").")
    String api;

    // A flag is visible to every user of the machine in the process list; the variable or file is not.
    @Option(names = "--token", paramLabel = "TOKEN", description = "API token (default: $MLOPS_API_TOKEN, else the "
            + "file $MLOPS_HOME/infra/api-token that ./mlops up writes; MLOPS_HOME defaults to ./.mlops). Other roles:"
            + " ./mlops token create --role viewer|submitter|admin.")
    String token;

    @Option(names = "--json", description = "Print the API's JSON response (pretty) instead of text.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for each answer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** A client for reads; sends the token when there is one. */
    ApiClient reader() {
        ApiSettings settings = settings();
        return client(settings, settings.token().orElse(null));
    }

    /** The token requests carry, when one was found (flag, variable, or the file ./mlops up writes). */
    Optional<String> token() {
        return settings().token();
    }

    /** A client for changes: fails before any request when there is no token. */
    ApiClient writer() {
        ApiSettings settings = settings();
        return client(settings, settings.requireToken());
    }

    boolean json() {
        return json;
    }

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }

    void printJson(JsonNode body) {
        try {
            out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
            out().flush();
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot print the response as JSON", e);
        }
    }

    private ApiSettings settings() {
        return ApiSettings.resolve(api, token, environment, Path.of("").toAbsolutePath());
    }

    private ApiClient client(ApiSettings settings, String bearer) {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second, got " + timeoutSeconds);
        }
        PrintWriter err = err();
        return new ApiClient(settings.apiUrl(), bearer, Duration.ofSeconds(timeoutSeconds), notice -> {
            err.println(notice);
            err.flush();
        });
    }
}
