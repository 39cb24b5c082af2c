package dev.resnetops.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.resnetops.onnx.runtime.ModelMetadata;
import dev.resnetops.onnx.runtime.OnnxSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each shortcut variant (plain, Stage-4 pooled, ResNet-D) with both stems, exported and run in ONNX
 * Runtime, against DJL on the same random weights and inputs. Tolerance: 1e-3 * max|logit| + 1e-4,
 * the parity gate's.
 */
class OnnxExporterTest {

    private static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    @ParameterizedTest
    @CsvSource({
        "resnet18-small, 1, 28",
        "resnet18-paper-small, 3, 32",
        "resnet18-d-small, 3, 32",
        "resnet18, 3, 64",
        "resnet18-paper, 1, 64",
        "resnet18-d, 3, 64",
        // 200 px: Stage 3 sees 25x25 and Stage 4 13x13, so the pooled shortcut's ceil-mode window is exercised.
        "resnet18-d, 3, 200",
        "resnet34-small, 3, 16",
        "resnet50-d-small, 3, 16",
        "resnet50-paper, 3, 64",
        // timm's deep stem: three 3x3 convolutions before the max-pool
        "resnet18d, 1, 64",
        "resnet50d, 3, 64",
    })
    void onnxRuntimeMatchesDjl(String preset, int channels, int size) throws Exception {
        int classes = 10;
        Block block = RandomResNets.build(preset, classes, channels, size, 11, manager);
        ModelProto model = OnnxExporter.export(block, RandomResNets.metadata(preset, classes, channels, size));
        assertThat(model.getOpsetImport(0).getVersion()).isGreaterThanOrEqualTo(13);
        Path file = dir.resolve(preset + ".onnx");
        OnnxExporter.write(model, file);

        int n = 3;
        float[] input = RandomResNets.randomInput(n, channels, size, 5);
        float[][] expected = DjlLogits.of(block, input, n, channels, size, size);
        float[][] actual;
        try (OnnxSession session = new OnnxSession(file, 1, false)) {
            actual = session.logits(input, n, channels, size, size);
        }
        LogitComparison comparison = LogitComparison.of(expected, actual);
        assertThat(comparison.maxAbsLogit()).isGreaterThan(0.1f);
        assertThat(comparison.maxAbsDiff()).isLessThanOrEqualTo(comparison.tolerance());
        assertThat(comparison.top1Mismatches()).isZero();
    }

    @Test
    void metadataRoundTripsThroughOnnxRuntime() throws Exception {
        Block block = RandomResNets.build("resnet18-small", 4, 1, 16, 3, manager);
        ModelMetadata metadata = RandomResNets.metadata("resnet18-small", 4, 1, 16);
        Path file = dir.resolve("meta.onnx");
        OnnxExporter.write(OnnxExporter.export(block, metadata), file);
        try (OnnxSession session = new OnnxSession(file, 1, false)) {
            ModelMetadata read = ModelMetadata.fromProperties(session.customMetadata(), file.toString());
            assertThat(read).isEqualTo(metadata);
            assertThat(session.customMetadata()).containsEntry(ModelMetadata.INPUT_SIZE, "16")
                    .containsEntry(ModelMetadata.CHANNELS, "1")
                    .containsEntry(ModelMetadata.PREPROCESSING_SPEC_HASH, metadata.preprocessing().specHash());
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("meta.onnx");
        }
    }

    @Test
    void refusesABlockThatIsNotThePresetItClaims() {
        Block block = RandomResNets.build("resnet18-small", 4, 1, 16, 3, manager);
        assertThatThrownBy(() -> OnnxExporter.export(block, RandomResNets.metadata("resnet34-small", 4, 1, 16)))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("resnet34-small")
                .hasMessageContaining("stage 1 block 3");
        // Same parameter shapes, different shortcut: caught by the convolution's stride.
        assertThatThrownBy(() -> OnnxExporter.export(block, RandomResNets.metadata("resnet18-paper-small", 4, 1, 16)))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("stage 4 block 1 shortcut")
                .hasMessageContaining("stride (2, 2)");
        assertThatThrownBy(() -> OnnxExporter.export(block, RandomResNets.metadata("vgg16", 4, 1, 16)))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("vgg16");
    }
}
