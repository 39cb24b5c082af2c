package dev.resnetops.tracking;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UiLinksAndPathsTest {

    private final MlflowClient mlflow = MlflowClient.builder().setServer(URI.create("http://127.0.0.1:5000")).build();

    @Test
    void experimentRunAndModelVersionLinksUseTheUisHashRoutesInTheModelTrainingView() {
        assertThat(mlflow.experimentUrl("3"))
                .hasToString("http://127.0.0.1:5000/#/experiments/3/runs?workflowType=machine_learning");
        assertThat(mlflow.runUrl("3", "abc123"))
                .hasToString("http://127.0.0.1:5000/#/experiments/3/runs/abc123?workflowType=machine_learning");
        assertThat(mlflow.modelVersionUrl("resnet50 paper", "2")).hasToString("http://127.0.0.1:5000/#/models/resnet50%20paper/versions/2");
    }

    @Test
    void compareLinkCarriesJsonArraysPercentEncoded() {
        URI url = mlflow.compareRunsUrl("3", List.of("aaa", "bbb"));

        assertThat(url.toString()).startsWith("http://127.0.0.1:5000/#/compare-runs?runs=");
        String decoded = URLDecoder.decode(url.getRawFragment(), StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo("/compare-runs?runs=[\"aaa\",\"bbb\"]&experiments=[\"3\"]"
                + "&workflowType=machine_learning");
    }

    @Test
    void serverPathPrefixIsKept() {
        MlflowClient behindProxy = MlflowClient.builder().setServer(URI.create("https://ml.example.org/mlflow/")).build();
        assertThat(behindProxy.runUrl("1", "r"))
                .hasToString("https://ml.example.org/mlflow/#/experiments/1/runs/r?workflowType=machine_learning");
        assertThat(behindProxy.server()).isEqualTo("https://ml.example.org/mlflow");
    }

    @Test
    void proxyPathComesFromTheRunsArtifactUri() {
        assertThat(ArtifactPaths.proxyRoot("r", "mlflow-artifacts:/7/abc/artifacts")).isEqualTo("7/abc/artifacts");
        assertThat(ArtifactPaths.proxyRoot("r", "mlflow-artifacts://host:5000/7/abc/artifacts")).isEqualTo("7/abc/artifacts");
        assertThat(ArtifactPaths.proxyPath("7/abc/artifacts", "eval/per class/a+b.png"))
                .isEqualTo("/api/2.0/mlflow-artifacts/artifacts/7/abc/artifacts/eval/per%20class/a%2Bb.png");
        assertThatThrownBy(() -> ArtifactPaths.proxyRoot("r", "file:///tmp/mlruns/7/abc/artifacts"))
                .hasMessageContaining("--serve-artifacts");
    }

    @Test
    void artifactPathsAreNormalisedAndMayNotClimbOut() {
        assertThat(ArtifactPaths.join("/model/", "sub\\file.txt")).isEqualTo("model/sub/file.txt");
        assertThat(ArtifactPaths.join(null, "")).isEmpty();
        assertThatThrownBy(() -> ArtifactPaths.normalize("model/../../x")).hasMessageContaining("'..'");
        RunInfo run = new RunInfo("r", "7", "n", RunStatus.RUNNING, null, null, "mlflow-artifacts:/7/r/artifacts", "active");
        assertThat(run.artifactSource("model")).isEqualTo("mlflow-artifacts:/7/r/artifacts/model");
    }

    @Test
    void contentTypeFollowsTheExtensionAndNeverAFormType() {
        assertThat(ArtifactProxy.contentType(Path.of("summary.json"))).isEqualTo("application/json");
        assertThat(ArtifactProxy.contentType(Path.of("config.yaml"))).isEqualTo("application/yaml");
        assertThat(ArtifactProxy.contentType(Path.of("model.onnx"))).isEqualTo("application/octet-stream");
        assertThat(ArtifactProxy.contentType(Path.of("plot.png"))).isEqualTo("image/png");
        assertThat(ArtifactProxy.contentType(Path.of("noextension"))).isEqualTo("application/octet-stream");
    }

    @Test
    void builderNamesWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> MlflowClient.builder().build()).hasMessageContaining("setServer");
        assertThatThrownBy(() -> MlflowClient.builder().setServer(URI.create("localhost:5000")).build())
                .hasMessageContaining("http(s)://");
    }
}
