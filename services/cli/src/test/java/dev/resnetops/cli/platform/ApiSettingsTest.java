package dev.resnetops.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetops.cli.stream.StreamBroker;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the API URL and token come from: flag, then environment, then the files ./mlops up writes. */
class ApiSettingsTest {

    @TempDir Path cwd;

    @Test
    void withNothingConfiguredUsesTheLocalDefaultAndHasNoToken() {
        ApiSettings settings = ApiSettings.resolve(null, null, Map.<String, String>of()::get, cwd);

        assertThat(settings.apiUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(settings.token()).isEmpty();
        assertThat(settings.tokenFile()).isEqualTo(cwd.resolve(".mlops/infra/api-token"));
    }

    @Test
    void filesUnderMlopsHomeAreUsedWhenNoFlagOrVariableIs() throws Exception {
        Path infra = Files.createDirectories(cwd.resolve("platform/infra"));
        Files.writeString(infra.resolve("infra.env"), """
                # written by ./mlops up
                POSTGRES_PASSWORD=x
                export MLOPS_API_URL="http://10.0.0.5:9090"   # the orchestrator
                """);
        Files.writeString(infra.resolve("api-token"), "  tok-123\n");

        ApiSettings settings = ApiSettings.resolve(null, null, Map.of("MLOPS_HOME", "platform")::get, cwd);

        assertThat(settings.apiUrl()).isEqualTo(URI.create("http://10.0.0.5:9090"));
        assertThat(settings.token()).contains("tok-123");
    }

    @Test
    void environmentBeatsFilesAndFlagsBeatEnvironment() throws Exception {
        Path infra = Files.createDirectories(cwd.resolve(".mlops/infra"));
        Files.writeString(infra.resolve("infra.env"), "MLOPS_API_URL=http://from-file:1\n");
        Files.writeString(infra.resolve("api-token"), "file-token");
        Map<String, String> env = Map.of("MLOPS_API_URL", "http://from-env:2", "MLOPS_API_TOKEN", "env-token");

        ApiSettings fromEnv = ApiSettings.resolve(null, null, env::get, cwd);
        ApiSettings fromFlags = ApiSettings.resolve("https://from-flag:3", "flag-token", env::get, cwd);

        assertThat(fromEnv.apiUrl()).isEqualTo(URI.create("http://from-env:2"));
        assertThat(fromEnv.token()).contains("env-token");
        assertThat(fromFlags.apiUrl()).isEqualTo(URI.create("https://from-flag:3"));
        assertThat(fromFlags.token()).contains("flag-token");
    }

    @Test
    void aBadUrlInTheEnvFileNamesTheFile() throws Exception {
        Path infra = Files.createDirectories(cwd.resolve(".mlops/infra"));
        Files.writeString(infra.resolve("infra.env"), "MLOPS_API_URL='ftp://nope'\n");

        assertThatThrownBy(() -> ApiSettings.resolve(null, null, Map.<String, String>of()::get, cwd))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MLOPS_API_URL in " + infra.resolve("infra.env"))
                .hasMessageContaining("'ftp://nope'");
    }

    @Test
    void requireTokenSaysWhereItLookedAndHowToGetOne() {
        ApiSettings settings = ApiSettings.resolve(null, null, Map.<String, String>of()::get, cwd);

        assertThatThrownBy(settings::requireToken)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--token")
                .hasMessageContaining("MLOPS_API_TOKEN")
                .hasMessageContaining(cwd.resolve(".mlops/infra/api-token").toString())
                .hasMessageContaining("./mlops up writes an admin token there")
                .hasMessageContaining("./mlops token create --role submitter");
    }

    @Test
    void inferenceUrlAndKafkaBootstrapComeFromFlagVariableOrInfraEnv() throws Exception {
        Path infra = Files.createDirectories(cwd.resolve(".mlops/infra"));
        Files.writeString(infra.resolve("infra.env"), """
                MLOPS_KAFKA_BOOTSTRAP=127.0.0.1:19092
                MLOPS_INFERENCE_URL=http://127.0.0.1:18084
                """);
        Map<String, String> none = Map.of();

        assertThat(ApiSettings.kafkaBootstrap(null, none::get, cwd)).isEqualTo("127.0.0.1:19092");
        assertThat(ApiSettings.inferenceUrl(null, none::get, cwd)).isEqualTo(URI.create("http://127.0.0.1:18084"));
        assertThat(ApiSettings.kafkaBootstrap(null, Map.of("MLOPS_KAFKA_BOOTSTRAP", "h:1")::get, cwd)).isEqualTo("h:1");
        assertThat(ApiSettings.kafkaBootstrap("flag:2", Map.of("MLOPS_KAFKA_BOOTSTRAP", "h:1")::get, cwd)).isEqualTo("flag:2");
        assertThat(ApiSettings.inferenceUrl("http://x:1", none::get, cwd)).isEqualTo(URI.create("http://x:1"));
        assertThatThrownBy(() -> ApiSettings.inferenceUrl("x:1", none::get, cwd)).hasMessageContaining("--url");
    }

    @Test
    void theStreamLogsInAsTheStreamClientOfInfraEnvUnlessTheVariablesNameAnother() throws Exception {
        Path infra = Files.createDirectories(cwd.resolve(".mlops/infra"));
        Files.writeString(infra.resolve("infra.env"), """
                MLOPS_KAFKA_BOOTSTRAP=127.0.0.1:19092
                MLOPS_KAFKA_USER=admin
                MLOPS_KAFKA_PASSWORD=not-for-the-stream
                MLOPS_KAFKA_STREAM_CLIENT_USER=stream-client
                MLOPS_KAFKA_STREAM_CLIENT_PASSWORD=abc123
                """);

        StreamBroker fromFile = ApiSettings.streamBroker(null, Map.<String, String>of()::get, cwd);
        StreamBroker fromEnv = ApiSettings.streamBroker("flag:2", Map.of("MLOPS_KAFKA_STREAM_CLIENT_USER", "other",
                "MLOPS_KAFKA_STREAM_CLIENT_PASSWORD", "xyz")::get, cwd);

        assertThat(fromFile.bootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(fromFile.user()).isEqualTo("stream-client");
        assertThat(fromFile.login().clientProperties().get("sasl.jaas.config"))
                .contains("username=\"stream-client\"").contains("password=\"abc123\"");
        assertThat(fromEnv.bootstrap()).isEqualTo("flag:2");
        assertThat(fromEnv.user()).isEqualTo("other");
    }

    @Test
    void withoutAStreamLoginTheErrorSaysWhereItWasLookedForAndHowToGetOne() {
        assertThatThrownBy(() -> ApiSettings.streamBroker(null, Map.<String, String>of()::get, cwd))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MLOPS_KAFKA_STREAM_CLIENT_USER")
                .hasMessageContaining("MLOPS_KAFKA_STREAM_CLIENT_PASSWORD")
                .hasMessageContaining(cwd.resolve(".mlops/infra/infra.env").toString())
                .hasMessageContaining("./mlops up");
    }

    @Test
    void inferenceUrlAndKafkaBootstrapDefaultToTheLocalPorts() {
        assertThat(ApiSettings.kafkaBootstrap(null, Map.<String, String>of()::get, cwd)).isEqualTo("127.0.0.1:9092");
        assertThat(ApiSettings.inferenceUrl(null, Map.<String, String>of()::get, cwd))
                .isEqualTo(URI.create("http://127.0.0.1:8084"));
    }
}
