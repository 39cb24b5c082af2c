package dev.resnetops.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.resnetops.onnx.runtime.ModelMetadata;
import dev.resnetops.vision.data.Preprocessing;
import dev.resnetops.vision.data.Sha256;
import dev.resnetops.vision.data.ShardedDataset;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate on 300 real Fashion-MNIST test images: a faithful export passes, a corrupted one leaves nothing. */
class ParityGateTest {

    private static final int IMAGES = 300;

    private static NDManager manager;
    private static Block block;
    private static ModelMetadata metadata;
    private static ParitySample sample;

    @TempDir
    Path dir;

    @BeforeAll
    static void model() {
        manager = NDManager.newBaseManager();
        ShardedDataset data = FashionMnist.dataset();
        Preprocessing preprocessing = Preprocessing.forDataset(data.manifest(), 28);
        block = RandomResNets.build("resnet18-small", data.classes().size(), 1, 28, 21, manager);
        metadata = new ModelMetadata("resnet18-small", "parity-test", data.classes(), preprocessing,
                data.manifest().name(), "0".repeat(64));
        sample = ParitySample.fromTestSplit(data, preprocessing, IMAGES);
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    @Test
    void faithfulExportPassesAndIsWrittenWithItsReport() throws Exception {
        Path target = dir.resolve("model.onnx");
        ParityReport report = new ParityGate().exportGated(OnnxExporter.export(block, metadata), block, sample, target);

        System.out.println(report.summary());
        assertThat(report.passed()).isTrue();
        assertThat(report.images()).isEqualTo(IMAGES);
        assertThat(report.top1Mismatches()).isZero();
        assertThat(report.maxAbsLogitDiff()).isLessThanOrEqualTo(report.tolerance());
        assertThat(report.modelSha256()).isEqualTo(Sha256.ofFile(target));
        ParityReport saved = ParityReport.fromJson(Files.readString(ParityGate.reportPath(target)));
        assertThat(saved).isEqualTo(report);
        assertThat(names()).containsExactlyInAnyOrder("model.onnx", "model.parity.json");
    }

    @Test
    void corruptedExportIsRejectedAndLeavesNothingBehind() throws Exception {
        ModelProto corrupted = perturbFirstInitializer(OnnxExporter.export(block, metadata));
        Path target = dir.resolve("model.onnx");

        assertThatThrownBy(() -> new ParityGate().exportGated(corrupted, block, sample, target))
                .isInstanceOf(ParityFailedException.class)
                .hasMessageContaining("max |logit diff|")
                .satisfies(e -> assertThat(((ParityFailedException) e).report().passed()).isFalse());
        assertThat(names()).isEmpty();
    }

    /** Doubles every weight of the stem convolution: the file still loads and runs, and is wrong. */
    private static ModelProto perturbFirstInitializer(ModelProto model) {
        ModelProto.Builder builder = model.toBuilder();
        TensorProto.Builder tensor = builder.getGraphBuilder().getInitializerBuilder(0);
        ByteBuffer in = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(in.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            out.putFloat(in.getFloat() * 2f);
        }
        tensor.setRawData(ByteString.copyFrom(out.array()));
        return builder.build();
    }

    private Stream<String> names() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList().stream();
        }
    }
}
