package dev.resnetops.tracking;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactProxyTest {

    private final MlflowClient mlflow = TestMlflow.client();
    private RunInfo run;

    @TempDir
    Path temp;

    @BeforeEach
    void createRun() {
        String experimentId = mlflow.experimentIdFor(TestMlflow.unique("tracking-artifacts"));
        run = mlflow.createRun(experimentId, "artifacts", Instant.now(), Map.of());
    }

    @Test
    void largeFileGoesUpAndComesBackByteIdentical() throws IOException {
        Path file = temp.resolve("weights.bin");
        writeRandom(file, 20 * 1024 * 1024 + 123, 42);

        mlflow.uploadArtifact(run, file, "model/checkpoints");

        assertThat(mlflow.listArtifacts(run.runId(), "model/checkpoints"))
                .containsExactly(new ArtifactEntry("model/checkpoints/weights.bin", false, Files.size(file)));
        Path back = temp.resolve("back/weights.bin");
        mlflow.downloadArtifact(run.runId(), "model/checkpoints/weights.bin", back);
        assertThat(Files.mismatch(file, back)).isEqualTo(-1L);
    }

    @Test
    void directoryTreeKeepsItsShape() throws IOException {
        Path tree = temp.resolve("report");
        Files.createDirectories(tree.resolve("plots/per class"));
        Files.writeString(tree.resolve("summary.json"), "{\"top1\": 0.93}");
        Files.writeString(tree.resolve("config.yaml"), "model: resnet50\n");
        Files.writeString(tree.resolve("plots/confusion.csv"), "a,b\n1,2\n");
        writeRandom(tree.resolve("plots/per class/class 0.png"), 4096, 7);

        int uploaded = mlflow.uploadDirectory(run.runId(), tree, "eval");

        assertThat(uploaded).isEqualTo(4);
        assertThat(mlflow.listArtifacts(run.runId(), "")).containsExactly(new ArtifactEntry("eval", true, 0));
        assertThat(mlflow.listArtifacts(run.runId(), "eval")).extracting(ArtifactEntry::path, ArtifactEntry::directory)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("eval/config.yaml", false),
                        org.assertj.core.groups.Tuple.tuple("eval/plots", true),
                        org.assertj.core.groups.Tuple.tuple("eval/summary.json", false));
        assertThat(mlflow.listArtifacts(run.runId(), "eval/plots/per class")).extracting(ArtifactEntry::path)
                .containsExactly("eval/plots/per class/class 0.png");
        for (String relative : new String[] {"summary.json", "config.yaml", "plots/confusion.csv", "plots/per class/class 0.png"}) {
            Path back = temp.resolve("back").resolve(relative);
            mlflow.downloadArtifact(run, "eval/" + relative, back);
            assertThat(Files.mismatch(tree.resolve(relative), back)).as(relative).isEqualTo(-1L);
        }
    }

    @Test
    void missingArtifactIsAnErrorAndLeavesNoFileBehind() {
        Path target = temp.resolve("nothing.bin");
        assertThatThrownBy(() -> mlflow.downloadArtifact(run, "no/such/file.bin", target))
                .isInstanceOf(MlflowException.class)
                .hasMessageContaining("no/such/file.bin");
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void pathsLeavingTheRunAreRefused() throws IOException {
        Path file = Files.writeString(temp.resolve("x.txt"), "x");
        assertThatThrownBy(() -> mlflow.uploadArtifact(run, file, "../other-run"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("..");
    }

    private static void writeRandom(Path file, int size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, Math.min(left, block.length));
            }
        }
    }
}
