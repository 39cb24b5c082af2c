package dev.resnetops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.onnx.export.ParityGate;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.data.DecodedImage;
import dev.resnetops.vision.data.EvalResize;
import dev.resnetops.vision.data.ImageCodec;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.data.TrainAugmentation;
import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.network.ResNet;
import dev.resnetops.vision.train.Checkpoint;
import dev.resnetops.vision.train.CheckpointState;
import dev.resnetops.vision.train.DynamicLossScaler;
import dev.resnetops.vision.weights.InitReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops export} then {@code mlops predict} on a small freshly initialised checkpoint. */
class OnnxCommandsTest {

    private static final List<String> CLASSES = List.of("cat", "dog", "bird");

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    @Test
    void exportPrintsTheParityReportAndPredictClassifiesAFolder() throws Exception {
        Path run = dir.resolve("run-3");
        saveCheckpoint(run.resolve("checkpoint"));
        Path model = dir.resolve("model.onnx");

        Captured export = run("export", "--checkpoint", run.toString(), "--out", model.toString());
        assertThat(export.code).as(err.toString()).isZero();
        assertThat(export.stdout).contains("parity PASSED on 64 images", "random tensors", "Top-1 mismatches 0");
        assertThat(model).exists();
        assertThat(ParityGate.reportPath(model)).exists();

        Path images = Files.createDirectories(dir.resolve("images/sub"));
        Random rng = new Random(1);
        for (String name : List.of("a.png", "b.jpg")) {
            byte[] pixels = new byte[30 * 20 * 3];
            rng.nextBytes(pixels);
            Files.write(images.resolve(name), ImageCodec.encode(new DecodedImage(30, 20, 3, pixels),
                    name.endsWith("png") ? "png" : "jpeg", 0.9f));
        }
        Files.writeString(images.resolve("c.png"), "not really a png");
        Files.writeString(images.resolve("notes.txt"), "skipped: not an image extension");

        Captured predict = run("predict", "--model", model.toString(), "--json", "--top-k", "2",
                dir.resolve("images").toString());
        assertThat(predict.code).isEqualTo(UserErrorHandler.USER_ERROR);
        JsonNode json = new ObjectMapper().readTree(predict.stdout);
        assertThat(json.get("model").get("runId").asText()).isEqualTo("run-3");
        assertThat(json.get("model").get("preset").asText()).isEqualTo("resnet18-small");
        JsonNode results = json.get("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).get("source").asText()).endsWith("a.png");
        assertThat(results.get(0).get("top")).hasSize(2);
        assertThat(CLASSES).contains(results.get(0).get("top").get(0).get("label").asText());
        assertThat(results.get(1).get("top")).hasSize(2);
        assertThat(results.get(2).get("error").asText()).contains("unsupported format");

        Captured text = run("predict", "--model", model.toString(), images.resolve("a.png").toString());
        assertThat(text.code).isZero();
        assertThat(text.stdout).contains("model resnet18-small, run run-3").containsPattern("a\\.png: +\\w+ [0-9.]+%");
    }

    @Test
    void exportOfAMissingCheckpointSaysWhereItLooked() throws Exception {
        Captured export = run("export", "--checkpoint", dir.resolve("nothing").toString(), "--out",
                dir.resolve("m.onnx").toString());
        assertThat(export.code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(err.toString()).contains("no checkpoint at").contains("nothing");
        assertThat(dir.resolve("m.onnx")).doesNotExist();
    }

    private static void saveCheckpoint(Path dir) {
        Preprocessing preprocessing = new Preprocessing(16, 3, new float[] {0.5f, 0.5f, 0.5f},
                new float[] {0.25f, 0.25f, 0.25f}, TrainAugmentation.padRandomCrop(4), EvalResize.centerPad());
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.of(ModelZoo.preset("resnet18-small"), CLASSES.size());
            net.initialize(manager, new Shape(1, 3, 16, 16));
            CheckpointState state = new CheckpointState(CheckpointState.FORMAT_VERSION,
                    TrainingConfig.builder().model("resnet18-small").build(), "resnet18-small", CLASSES.size(),
                    CLASSES, preprocessing, "synthetic", "feedbeef", 1, 1, new DynamicLossScaler.State(1, 0),
                    List.of(), "fp32", "cpu", "2026-01-01T00:00:00Z", InitReport.random());
            Checkpoint.save(dir, state, net.block(), new NDList());
        }
    }

    private record Captured(int code, String stdout) {}

    /** The commands print results with System.out (so the launcher can pipe them); capture it. */
    private Captured run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            var cli = Mlops.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new Captured(code, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
