package dev.resnetops.cli.platform;

import dev.resnetops.cli.DurationConverter;
import dev.resnetops.cli.UserErrorHandler;
import dev.resnetops.cli.stream.ImageStreamer;
import dev.resnetops.cli.stream.StreamFailedException;
import dev.resnetops.cli.stream.StreamInput;
import dev.resnetops.cli.stream.StreamOptions;
import dev.resnetops.cli.stream.StreamReport;
import dev.resnetops.cli.stream.StreamSummary;
import dev.resnetops.contracts.messages.MessageCodec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlops stream}: images through Kafka to the inference service, and a report of what came back. */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send images to the image stream (Kafka) and collect the inference service's predictions and "
                + "dead letters: counts, accuracy against the true labels, throughput, end-to-end latency, and the "
                + "model versions that answered.",
                "PATH is a dataset folder vision can read (e.g. /usr/share/datasets/fashion-mnist: its test split is "
                        + "sent, as PNG, with true labels), a folder of .png/.jpg files (recursively; in "
                        + "<class>/<file> folders the folder name is the true label), or one image file.",
                "Exit code 1 when some images got no answer (or Kafka is unreachable), 2 for a bad PATH or flag."})
public final class StreamCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH", description = "Dataset folder, image folder or image file.")
    Path path;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Send at most N images (default: all).")
    int limit;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "At most R images per second (default: no limit).")
    double rate;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "0",
            description = "At most N images unanswered at a time (default: no limit). Without --rate or --in-flight "
                    + "every image is sent at once, and the latency includes the time spent queued in the topic.")
    int inFlight;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "60s", converter = DurationConverter.class,
            description = "Give up when no answer arrived for D while images are unanswered, and list them "
                    + "(e.g. 90s, 5m; default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (default: "
            + "$MLOPS_KAFKA_BOOTSTRAP, else MLOPS_KAFKA_BOOTSTRAP in $MLOPS_HOME/infra/infra.env, else "
            + ApiSettings.DEFAULT_KAFKA_BOOTSTRAP + ").")
    String bootstrap;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StreamInput input = StreamInput.open(path, limit);
        PrintWriter err = spec.commandLine().getErr();
        err.println("stream: " + input.description());
        err.flush();
        StreamOptions options = new StreamOptions(
                ApiSettings.streamBroker(bootstrap, ApiOptions.environment, Path.of("").toAbsolutePath()),
                rate, inFlight, timeout, Duration.ofSeconds(5));
        StreamSummary summary;
        try {
            summary = stream(options, input, err);
        } catch (StreamFailedException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return UserErrorHandler.PLATFORM_ERROR;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(MessageCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        } else {
            StreamReport.print(summary, out);
        }
        out.flush();
        return summary.complete() ? 0 : UserErrorHandler.PLATFORM_ERROR;
    }

    /** Streams with progress lines on {@code err}; the demo calls this too. */
    static StreamSummary stream(StreamOptions options, StreamInput input, PrintWriter err) throws InterruptedException {
        return new ImageStreamer(options, line -> {
            err.println(line);
            err.flush();
        }).run(input);
    }
}
