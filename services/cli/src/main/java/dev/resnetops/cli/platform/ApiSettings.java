package dev.resnetops.cli.platform;

import dev.resnetops.cli.stream.StreamBroker;
import dev.resnetops.kafka.KafkaLogin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the platform API is and which token to send. Each comes from the flag, else the environment,
 * else the files {@code ./mlops up} writes under {@code $MLOPS_HOME/infra}, so a shell that started
 * the platform needs no setup.
 *
 * @param tokenFile where a token is looked for when no flag or variable gives one (named in errors)
 */
record ApiSettings(URI apiUrl, Optional<String> token, Path tokenFile) {

    static final String DEFAULT_API_URL = "http://127.0.0.1:8080";
    static final String API_URL_VARIABLE = "MLOPS_API_URL";
    static final String TOKEN_VARIABLE = "MLOPS_API_TOKEN";
    static final String DEFAULT_INFERENCE_URL = "http://127.0.0.1:8084";
    static final String INFERENCE_URL_VARIABLE = "MLOPS_INFERENCE_URL";
    static final String DEFAULT_KAFKA_BOOTSTRAP = "127.0.0.1:9092";
    static final String KAFKA_BOOTSTRAP_VARIABLE = "MLOPS_KAFKA_BOOTSTRAP";
    static final String STREAM_USER_VARIABLE = "MLOPS_KAFKA_STREAM_CLIENT_USER";
    static final String STREAM_PASSWORD_VARIABLE = "MLOPS_KAFKA_STREAM_CLIENT_PASSWORD";

    static ApiSettings resolve(String apiFlag, String tokenFlag, Function<String, String> env, Path cwd) {
        Path infra = mlopsHome(env, cwd).resolve("infra");
        Path envFile = infra.resolve("infra.env");
        Path tokenFile = infra.resolve("api-token");

        URI api;
        if (present(apiFlag)) {
            api = parseUrl(apiFlag, "--api");
        } else if (present(env.apply(API_URL_VARIABLE))) {
            api = parseUrl(env.apply(API_URL_VARIABLE), "$" + API_URL_VARIABLE);
        } else {
            api = readVariable(envFile, API_URL_VARIABLE)
                    .map(url -> parseUrl(url, API_URL_VARIABLE + " in " + envFile))
                    .orElse(URI.create(DEFAULT_API_URL));
        }

        Optional<String> token;
        if (present(tokenFlag)) {
            token = Optional.of(tokenFlag.strip());
        } else if (present(env.apply(TOKEN_VARIABLE))) {
            token = Optional.of(env.apply(TOKEN_VARIABLE).strip());
        } else {
            token = readToken(tokenFile);
        }
        return new ApiSettings(api, token, tokenFile);
    }

    /** The MLflow UI: $MLOPS_MLFLOW_URL, else MLOPS_MLFLOW_URL of infra.env, else the local default. */
    static String mlflowUrl(Function<String, String> env, Path cwd) {
        return platformAddress(null, "MLOPS_MLFLOW_URL", "http://127.0.0.1:5000", env, cwd);
    }

    /** The inference service: the flag, else $MLOPS_INFERENCE_URL, else MLOPS_INFERENCE_URL of infra.env, else the default. */
    static URI inferenceUrl(String flag, Function<String, String> env, Path cwd) {
        String url = platformAddress(flag, INFERENCE_URL_VARIABLE, DEFAULT_INFERENCE_URL, env, cwd);
        return parseUrl(url, present(flag) ? "--url" : INFERENCE_URL_VARIABLE);
    }

    /** The Kafka bootstrap servers: the flag, else $MLOPS_KAFKA_BOOTSTRAP, else infra.env, else the default. */
    static String kafkaBootstrap(String flag, Function<String, String> env, Path cwd) {
        return platformAddress(flag, KAFKA_BOOTSTRAP_VARIABLE, DEFAULT_KAFKA_BOOTSTRAP, env, cwd);
    }

    /**
     * The stream's broker and login: the principal {@code stream-client} from $MLOPS_KAFKA_STREAM_CLIENT_USER and
     * _PASSWORD, else from infra.env (mode 600, written by ./mlops up), like the API token.
     *
     * @throws IllegalStateException naming where the login was looked for, when none is found
     */
    static StreamBroker streamBroker(String bootstrapFlag, Function<String, String> env, Path cwd) {
        String bootstrap = kafkaBootstrap(bootstrapFlag, env, cwd);
        String user = platformAddress(null, STREAM_USER_VARIABLE, "", env, cwd);
        String password = platformAddress(null, STREAM_PASSWORD_VARIABLE, "", env, cwd);
        if (!present(user) || !present(password)) {
            Path envFile = mlopsHome(env, cwd).resolve("infra").resolve("infra.env");
            throw new IllegalStateException("the stream logs in to Kafka as the platform's stream-client principal,"
                    + " but no login was found: set " + STREAM_USER_VARIABLE + " and " + STREAM_PASSWORD_VARIABLE
                    + ", or start the platform with ./mlops up, which writes them to " + envFile + " (set MLOPS_HOME"
                    + " if the platform was started from another folder)");
        }
        return new StreamBroker(bootstrap, user, KafkaLogin.scram(user, password));
    }

    /** An address of the running platform, looked up like the API's: flag, variable, the file ./mlops up wrote, default. */
    private static String platformAddress(String flag, String variable, String fallback, Function<String, String> env,
                                          Path cwd) {
        if (present(flag)) {
            return flag.strip();
        }
        String value = env.apply(variable);
        if (present(value)) {
            return value.strip();
        }
        return readVariable(mlopsHome(env, cwd).resolve("infra").resolve("infra.env"), variable).orElse(fallback);
    }

    /** The token, or an error that says where one was looked for and how to get one. */
    String requireToken() {
        return token.orElseThrow(() -> new IllegalStateException("this command changes the platform and needs an "
                + "API token, but none was found: pass --token, set " + TOKEN_VARIABLE + ", or create " + tokenFile
                + " (./mlops up writes an admin token there; set MLOPS_HOME if the platform was started from another"
                + " folder), or create one with ./mlops token create --role submitter"));
    }

    /** The platform's local folder: $MLOPS_HOME, else ./.mlops (the state of ./mlops up is its infra folder). */
    static Path mlopsHome(Function<String, String> env, Path cwd) {
        String home = env.apply("MLOPS_HOME");
        return present(home) ? cwd.resolve(home.strip()) : cwd.resolve(".mlops");
    }

    private static URI parseUrl(String value, String source) {
        try {
            URI uri = new URI(value.strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below with the source of the value
        }
        throw new IllegalArgumentException(source + " is '" + value + "', which is not an http(s) URL; "
                + "expected e.g. " + DEFAULT_API_URL);
    }

    /** One variable of a sourceable KEY=VALUE file ({@code export}, quotes and comments allowed). */
    static Optional<String> readVariable(Path file, String name) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String value = null;
        for (String line : readLines(file)) {
            String text = line.strip();
            if (text.startsWith("export ")) {
                text = text.substring("export ".length()).strip();
            }
            int equals = text.indexOf('=');
            if (text.startsWith("#") || equals < 1 || !text.substring(0, equals).strip().equals(name)) {
                continue;
            }
            value = unquote(text.substring(equals + 1).strip()); // like the shell, the last assignment wins
        }
        return Optional.ofNullable(value).filter(ApiSettings::present);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
            int end = value.indexOf(value.charAt(0), 1);
            return end > 0 ? value.substring(1, end) : value.substring(1);
        }
        int comment = value.indexOf(" #");
        return (comment >= 0 ? value.substring(0, comment) : value).strip();
    }

    private static Optional<String> readToken(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file).strip()).filter(ApiSettings::present);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static java.util.List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
