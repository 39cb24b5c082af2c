package dev.resnetops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.weights.StoredTensor;
import dev.resnetops.vision.weights.TorchKeyLayout;
import dev.resnetops.vision.weights.TorchKeyLayout.Entry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void showsTheFileAndWhatAJobWouldDoDifferently() throws IOException {
        Path file = resnet18Safetensors(1000);

        int code = run("weights", file.toString(), "--preset", "resnet18-paper", "--classes", "10", "--channels", "1");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("format:   safetensors", "tensors:  102 ({f32=102})",
                "fits:     resnet18-paper with 1 input channel and 10 classes (torchvision key names)",
                "conv1.weight: 3-channel weights adapted to 1-channel images",
                "fc.weight: not loaded, a new classifier head [10, 512] is initialised (the file's is [1000, 512])");
    }

    @Test
    void aFileThatDoesNotFitIsAUserErrorNamingTheTensors() throws IOException {
        Path file = resnet18Safetensors(1000);

        int code = run("weights", file.toString(), "--preset", "resnet34");

        assertThat(code).isEqualTo(UserErrorHandler.USER_ERROR);
        assertThat(err.toString()).contains("do not fit resnet34", "missing layer1.2.conv1.weight [64, 64, 3, 3]");
    }

    private int run(String... args) {
        var cli = Mlops.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** A resnet18 state dict as safetensors writes it: a JSON header, then the float32 tensors. */
    private Path resnet18Safetensors(int classes) throws IOException {
        List<Entry> entries = TorchKeyLayout.entries(ModelZoo.preset("resnet18"), 3, classes,
                TorchKeyLayout.ShortcutNaming.TORCHVISION);
        StringBuilder header = new StringBuilder("{");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Entry entry : entries) {
            long count = StoredTensor.numel(entry.shape());
            ByteBuffer values = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < count; i++) {
                values.putFloat(i % 7 / 7f);
            }
            header.append(header.length() > 1 ? "," : "").append('"').append(entry.key()).append("\":{\"dtype\":\"F32\","
                    + "\"shape\":").append(StoredTensor.describe(entry.shape()).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(data.size()).append(',').append(data.size() + count * 4).append("]}");
            data.write(values.array());
        }
        byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("resnet18.safetensors");
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
        Files.write(file, concat(length.array(), json, data.toByteArray()));
        return file;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
