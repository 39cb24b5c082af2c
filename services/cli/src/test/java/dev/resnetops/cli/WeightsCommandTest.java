package dev.resnetops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetops.vision.model.ModelZoo;
import dev.resnetops.vision.weights.SafetensorsWriter;
import dev.resnetops.vision.weights.StoredTensor;
import dev.resnetops.vision.weights.TensorDtype;
import dev.resnetops.vision.weights.TorchKeyLayout;
import dev.resnetops.vision.weights.TorchKeyLayout.Entry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** A resnet18 state dict with 1000 classes, as a safetensors file. */
    private Path resnet18Safetensors(int classes) throws IOException {
        List<StoredTensor> tensors = new ArrayList<>();
        for (Entry entry : TorchKeyLayout.entries(ModelZoo.preset("resnet18"), 3, classes,
                TorchKeyLayout.ShortcutNaming.TORCHVISION)) {
            float[] values = new float[(int) StoredTensor.numel(entry.shape())];
            for (int i = 0; i < values.length; i++) {
                values[i] = i % 7 / 7f;
            }
            tensors.add(new StoredTensor(entry.key(), TensorDtype.F32, entry.shape(), values));
        }
        Path file = dir.resolve("resnet18.safetensors");
        SafetensorsWriter.write(tensors, Map.of(), file);
        return file;
    }
}
