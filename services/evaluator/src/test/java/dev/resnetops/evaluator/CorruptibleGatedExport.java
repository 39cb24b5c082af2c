package dev.resnetops.evaluator;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.resnetops.evaluator.service.GatedExport;
import dev.resnetops.vision.train.TrainedModel;
import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real export, except for a job folder holding {@value #MARKER}: then the stem convolution's weights are
 * doubled, so the file still loads and runs in ONNX Runtime but fails the parity gate, and the service's
 * handling of a rejected export can be followed end to end.
 */
@Mock
@ApplicationScoped
public class CorruptibleGatedExport extends GatedExport {

    static final String MARKER = "corrupt-the-export";

    /** Makes the next export of the job in {@code jobDir} fail the gate. */
    static void corruptExportOf(Path jobDir) throws Exception {
        Files.writeString(jobDir.resolve(MARKER), "test marker");
    }

    @Override
    protected ModelProto toOnnx(TrainedModel model, String runId) {
        ModelProto faithful = super.toOnnx(model, runId);
        if (!Files.exists(model.checkpointDir().toAbsolutePath().getParent().resolve(MARKER))) {
            return faithful;
        }
        ModelProto.Builder builder = faithful.toBuilder();
        TensorProto.Builder tensor = builder.getGraphBuilder().getInitializerBuilder(0);
        ByteBuffer in = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(in.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            out.putFloat(in.getFloat() * 2f);
        }
        tensor.setRawData(ByteString.copyFrom(out.array()));
        return builder.build();
    }
}
