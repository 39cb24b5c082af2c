package dev.resnetops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's contract with users: exit codes and messages for what they can get wrong. */
class MlopsCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Mlops.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void modelsListsEveryPresetWithTorchvisionCountForResnet50() {
        assertThat(run("models", "--classes", "10")).isZero();
        assertThat(out.toString())
                .contains("resnet50-paper-small", "resnet152-d", "resnet18")
                .containsPattern("resnet50 +50 imagenet +- +25,557,032 +23,528,522")
                .containsPattern("resnet50-paper +50 imagenet +4 +25,557,032")
                .containsPattern("resnet50-d +50 imagenet +2,3,4 +25,557,032");
    }

    @Test
    void invalidTrainingFlagsAreReportedByNameBeforeAnythingRuns(@TempDir Path dir) {
        int code = run("train", "--dataset", dir.toString(), "--epochs", "0", "--label-smoothing", "1.5",
                "--model", "resnet51", "--out", dir.resolve("run").toString());
        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(err.toString()).contains("epochs:", "labelSmoothing:", "model: unknown preset 'resnet51'");
        assertThat(Files.exists(dir.resolve("run"))).isFalse();
    }

    @Test
    void bf16IsRefusedWithTheReason(@TempDir Path dir) {
        int code = run("train", "--dataset", dir.toString(), "--precision", "bf16");
        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(err.toString()).contains("bf16 is not supported").contains("aborts the JVM");
    }

    @Test
    void unknownPrecisionValueIsAUsageError(@TempDir Path dir) {
        int code = run("train", "--dataset", dir.toString(), "--precision", "fp8");
        assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("'fp8' is not one of auto, fp32, fp16, bf16");
    }

    @Test
    void configFileErrorsNameTheFileAndField(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("run.yaml"), "epochs: 3\nlearning_rate: 0.1\n");
        int code = run("train", "--dataset", dir.toString(), "--config", config.toString());
        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(err.toString()).contains("run.yaml: learning_rate: unknown field");
    }

    @Test
    void oneEpochFromTheCommandLineOverAConfigFileThatNeverSetTheWarmupIsValid(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("run.yaml"), "epochs: 10\n");
        ConfigOptions options = new ConfigOptions();
        options.configFile = config;
        options.epochs = 1;
        assertThat(options.resolve().warmupEpochs()).isEqualTo(0.5);
    }

    @Test
    void missingDatasetFolderGetsAClearMessage(@TempDir Path dir) {
        int code = run("train", "--dataset", dir.resolve("nowhere").toString(), "--data-cache",
                dir.resolve("cache").toString());
        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(err.toString()).contains("nowhere");
    }

    @Test
    void evaluateWithoutCheckpointSaysWhereItLooked(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-run"));
        int code = run("evaluate", "--checkpoint", empty.toString(), "--dataset", dir.toString(), "--data-cache",
                dir.resolve("cache").toString());
        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(err.toString()).containsAnyOf("no checkpoint at", "dataset");
    }

    @Test
    void evaluateTakesACheckpointOrAnOnnxFileAndNamesAMissingOne(@TempDir Path dir) throws Exception {
        Path dataset = Files.createDirectories(dir.resolve("data"));
        int both = run("evaluate", "--checkpoint", dir.toString(), "--onnx", dir.resolve("m.onnx").toString(),
                "--dataset", dataset.toString());
        assertThat(both).isNotZero();
        assertThat(err.toString()).contains("mutually exclusive");

        int missing = run("evaluate", "--onnx", dir.resolve("nowhere.onnx").toString(), "--dataset",
                dataset.toString(), "--data-cache", dir.resolve("cache").toString());
        assertThat(missing).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(err.toString()).contains("no ONNX model at").contains("nowhere.onnx");
    }

    @Test
    void refusesToMixADifferentConfigurationIntoAnExistingRunFolder(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        String original = "model: resnet18-small\nepochs: 3\n";
        Files.writeString(run.resolve("config.yaml"), original);
        int code = run("train", "--dataset", dir.toString(), "--model", "resnet18-small", "--epochs", "4",
                "--out", run.toString());
        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(err.toString()).contains("holds a run with a different configuration");
        assertThat(Files.readString(run.resolve("config.yaml"))).isEqualTo(original);
    }
}
