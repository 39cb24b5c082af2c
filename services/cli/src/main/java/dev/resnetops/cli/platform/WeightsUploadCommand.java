package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.WeightsView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mlops weights upload NAME FILE}: PUT /weights/{name}. */
@Command(name = "upload", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Upload a weights file (safetensors, torchvision/timm .pth) to the platform under a name; jobs",
                "and workflows then start from it with init weights:NAME, without a path shared with the trainers.",
                "The platform reads the whole file before keeping it: a corrupt or hostile file is refused."})
public final class WeightsUploadCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Letters, digits, '.', '_', '-', e.g. resnet50-imagenet.")
    String name;

    @Parameters(index = "1", paramLabel = "FILE", description = "The weights file.")
    Path file;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        ApiClient client = api.writer();
        ApiResponse<WeightsView> response = client.uploadWeights(name, file);
        if (api.json()) {
            api.printJson(response.json());
        } else {
            print(response.body(), response.status() == 201 ? "uploaded" : "already there (the same bytes)");
        }
        api.out().flush();
        return 0;
    }

    private void print(WeightsView w, String outcome) {
        api.out().printf(Locale.ROOT, "%s: %s%n  format %s, %d tensors, %,d values, %,d bytes%n  sha256 %s%n", w.name(),
                outcome, w.format(), w.tensors(), w.parameters(), w.sizeBytes(), w.sha256());
        w.notes().forEach(note -> api.out().println("  note: " + note));
        api.out().printf("start a job from it with --init %s (or init: %s in a config or workflow)%n", w.init(), w.init());
    }
}
