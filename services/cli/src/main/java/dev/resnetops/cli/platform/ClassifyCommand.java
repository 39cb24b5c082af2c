package dev.resnetops.cli.platform;

import dev.resnetops.cli.TextTable;
import dev.resnetops.cli.client.ApiException;
import dev.resnetops.cli.client.InferenceClient;
import dev.resnetops.cli.stream.StreamReport;
import dev.resnetops.contracts.stream.PredictedLabel;
import dev.resnetops.contracts.stream.Prediction;
import dev.resnetops.contracts.stream.ServedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlops classify}: one image through the inference service's {@code POST /classify}. */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify one JPEG or PNG image with the model the inference service serves (the champion).",
                "Exit code 2 when the image was refused (unreadable, too large), 1 when the service is down or has "
                        + "no model yet."})
public final class ClassifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IMAGE", description = "A .png or .jpg file.")
    Path image;

    @Option(names = "--top", paramLabel = "N", description = "How many classes to show (default: the service's, 5).")
    Integer top;

    @Option(names = "--json", description = "Print the service's JSON answer instead of text.")
    boolean json;

    @Option(names = "--url", paramLabel = "URL", description = "Inference service URL (default: $MLOPS_INFERENCE_URL, "
            + "else MLOPS_INFERENCE_URL in $MLOPS_HOME/infra/infra.env, else " + ApiSettings.DEFAULT_INFERENCE_URL + ").")
    String url;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    // A flag is visible to every user of the machine in the process list; the variable or file is not.
    @Option(names = "--token", paramLabel = "TOKEN", description = "API token (default: $MLOPS_API_TOKEN, else the "
            + "file $MLOPS_HOME/infra/api-token that ./mlops up writes).")
    String token;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (top != null && top < 1) {
            throw new IllegalArgumentException("--top must be at least 1, got " + top);
        }
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second, got " + timeoutSeconds);
        }
        byte[] bytes = read(image);
        Path cwd = Path.of("").toAbsolutePath();
        String bearer = ApiSettings.resolve(null, token, ApiOptions.environment, cwd).token().orElse(null);
        InferenceClient client = new InferenceClient(ApiSettings.inferenceUrl(url, ApiOptions.environment, cwd), bearer,
                Duration.ofSeconds(timeoutSeconds));
        PrintWriter out = spec.commandLine().getOut();
        InferenceClient.Classified answer;
        try {
            answer = client.classify(bytes, contentType(image), top);
        } catch (ApiException e) {
            return InferenceErrorReport.print(e, image.toString(), spec.commandLine().getErr());
        }
        if (json) {
            out.println(answer.json().toPrettyString());
        } else {
            print(answer, out);
        }
        out.flush();
        return 0;
    }

    private void print(InferenceClient.Classified answer, PrintWriter out) {
        Prediction p = answer.prediction();
        out.printf(Locale.ROOT, "%s: %s (%s)%n", image.getFileName(), p.best().label(),
                StreamReport.percent(p.best().probability()));
        TextTable table = TextTable.withColumns("#", "class", "index", "probability").alignRight("#", "index", "probability");
        int rank = 1;
        for (PredictedLabel label : p.top()) {
            table.row(rank++, label.label(), label.index(), StreamReport.percent(label.probability()));
        }
        table.print(out, "  ");
        ServedModel m = p.model();
        out.printf("model    %s version %d (alias %s), preset %s, onnx sha256 %s%n", m.name(), m.version(), m.alias(),
                m.preset(), m.sha256() == null ? "-" : m.sha256().substring(0, Math.min(12, m.sha256().length())));
        out.printf(Locale.ROOT, "latency  %.1f ms in the model, %.1f ms round trip%n", p.inferenceMillis(),
                answer.roundTripMillis());
    }

    private static byte[] read(Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a folder; classify takes one image (use 'mlops stream "
                    + file + "' for a folder)");
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** By extension; the service sniffs the bytes either way, so an unknown one goes as octet-stream. */
    static String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "image/png";
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        return "application/octet-stream";
    }
}
