package dev.resnetops.cli.platform;

import dev.resnetops.cli.DurationConverter;
import dev.resnetops.cli.ProgressPrinter;
import dev.resnetops.cli.UserErrorHandler;
import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.InferenceClient;
import dev.resnetops.cli.stream.StreamFailedException;
import dev.resnetops.cli.stream.StreamInput;
import dev.resnetops.cli.stream.StreamOptions;
import dev.resnetops.cli.stream.StreamSummary;
import dev.resnetops.contracts.api.DatasetView;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.ModelVersionView;
import dev.resnetops.contracts.api.SubmitJobRequest;
import dev.resnetops.vision.config.ScheduleKind;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mlops demo}: the platform end to end on Fashion-MNIST. Registers the dataset, trains the
 * baseline and the paper's model as platform jobs, waits for the evaluator to test and register both,
 * promotes the better one to champion, waits until the inference service serves it, streams the test
 * images through Kafka, and reports the two runs, the streamed accuracy, throughput and latency.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The platform end to end on Fashion-MNIST: dataset -> two training jobs (baseline ResNet-50 and "
                + "the paper's model) -> evaluation and ONNX registration -> promotion of the better one -> serving "
                + "-> the test images streamed through Kafka -> a report.",
                "The ./mlops launcher installs the prerequisites and starts the platform (./mlops up) first. The "
                        + "budget flags apply to both runs; the defaults take a few minutes per run on 2 CPU cores.",
                "Re-running is safe: the dataset is reused, and the new jobs become new model versions."})
public final class DemoCommand implements Callable<Integer> {

    static final String BASELINE = "resnet50-small";
    static final String PAPER = "resnet50-paper-small";

    @Mixin DemoBudget budget;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "fashion-mnist",
            description = "Dataset name; the registered model is resnetops-NAME (default: ${DEFAULT-VALUE}).")
    String datasetName;

    @Option(names = "--source", paramLabel = "PATH", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Where the dataset is: registered with the platform and read here for streaming "
                    + "(default: ${DEFAULT-VALUE}, from the dataset-fashion-mnist package).")
    Path source;

    @Option(names = "--stream-limit", paramLabel = "N", defaultValue = "0",
            description = "Stream at most N test images (default: all).")
    int streamLimit;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "64",
            description = "Unanswered images at most while streaming, so latency is the service's and not a queue's "
                    + "(default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--evaluation-timeout", paramLabel = "D", defaultValue = "30m", converter = DurationConverter.class,
            description = "How long to wait for the evaluator to register both versions (default: ${DEFAULT-VALUE}).")
    Duration evaluationTimeout;

    @Option(names = "--serving-timeout", paramLabel = "D", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait for the inference service to serve the champion (default: ${DEFAULT-VALUE}).")
    Duration servingTimeout;

    @Option(names = "--inference-url", paramLabel = "URL", description = "Inference service (default: as 'mlops classify').")
    String inferenceUrl;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka (default: as 'mlops stream').")
    String bootstrap;

    @Option(names = "--mlflow", paramLabel = "URL", description = "MLflow UI (default: as 'mlops runs compare').")
    String mlflow;

    @Mixin ApiOptions api;

    @Override
    public Integer call() throws InterruptedException {
        long start = System.nanoTime();
        // With --json only the result goes to stdout; the running commentary goes to stderr.
        PrintWriter out = api.json() ? api.err() : api.out();
        Path cwd = Path.of("").toAbsolutePath();
        ApiClient client = api.writer();
        InferenceClient inference = new InferenceClient(ApiSettings.inferenceUrl(inferenceUrl, ApiOptions.environment, cwd),
                api.token().orElse(null), Duration.ofSeconds(10));
        StreamOptions streaming = new StreamOptions(ApiSettings.streamBroker(bootstrap, ApiOptions.environment, cwd),
                0, inFlight, Duration.ofMinutes(2), Duration.ofSeconds(5));
        String model = "resnetops-" + datasetName;
        try {
            step(out, 1, "dataset " + datasetName);
            DatasetView dataset = DemoDataset.ensure(client, datasetName, source.toString(), out);

            step(out, 2, "training: the baseline (" + BASELINE + ") and the paper's model (" + PAPER + ")");
            List<JobView> jobs = List.of(submit(client, dataset, baselineConfig(), out), submit(client, dataset, paperConfig(), out));
            JobFollower follower = new JobFollower(client, out, System.console() != null, Duration.ofSeconds(2));
            List<JobView> finished = new ArrayList<>();
            List<JobView> pending = new ArrayList<>(jobs);
            while (!pending.isEmpty()) {
                JobView job = nextStarted(client, pending, out);
                pending.remove(job);
                out.printf("following job %s (%s)%n", ApiDisplay.shortId(job.id()), job.model());
                JobView done = follower.follow(job.id());
                if (done.state() != JobState.COMPLETED) {
                    throw new DemoFailedException("job " + job.id() + " (" + job.model() + ") ended " + done.state()
                            + (done.stateReason() == null ? "" : ": " + done.stateReason()));
                }
                finished.add(done);
            }

            List<UUID> submitted = jobs.stream().map(JobView::id).toList();
            finished.sort(Comparator.comparingInt(j -> submitted.indexOf(j.id()))); // baseline first in the report
            step(out, 3, "evaluation: the evaluator tests both on the " + datasetName + " test split and registers ONNX exports");
            Map<UUID, ModelVersionView> versions = EvaluationWaiter.await(client, model,
                    finished.stream().map(JobView::id).toList(), evaluationTimeout, out);

            step(out, 4, "promotion of the better test top-1 to champion");
            ModelVersionView best = champion(versions.values());
            ModelVersionView promoted = client.promote(model, best.version()).body();
            out.printf("%s version %d (%s) is now champion: test top-1 %s%n", model, promoted.version(),
                    jobOf(finished, promoted.jobId()).model(), ModelsRegisteredCommand.percent(promoted.top1()));

            step(out, 5, "serving: waiting for the inference service at " + inference.baseUrl() + " to load version "
                    + promoted.version());
            ServingWaiter.await(inference, promoted.version(), servingTimeout, out);

            step(out, 6, "streaming the test images through Kafka (" + streaming.broker().bootstrap() + ")");
            StreamInput input = StreamInput.open(source, streamLimit);
            out.println("stream: " + input.description());
            StreamSummary summary = StreamCommand.stream(streaming, input, out);

            List<JobView> refreshed = finished.stream().map(j -> client.job(j.id()).body()).toList();
            DemoReport report = new DemoReport(model, refreshed, versions, promoted.version(), summary,
                    (System.nanoTime() - start) / 1e9, budget, nextSteps(refreshed, input, cwd, out));
            if (api.json()) {
                api.printJson(report.toJson());
            } else {
                report.print(api.out());
            }
            return summary.complete() ? 0 : UserErrorHandler.PLATFORM_ERROR;
        } catch (DemoFailedException | StreamFailedException e) {
            api.err().println("error: the demo stopped: " + e.getMessage());
            api.err().printf("  after %s; the platform keeps running (./mlops status, ./mlops logs)%n",
                    ProgressPrinter.formatDuration((System.nanoTime() - start) / 1e9));
            api.err().flush();
            return UserErrorHandler.PLATFORM_ERROR;
        }
    }

    /** The report's last part; saves the first streamed image for its classify command. */
    private DemoNextSteps nextSteps(List<JobView> jobs, StreamInput streamed, Path cwd, PrintWriter out) {
        String mlflowBase = mlflow != null ? mlflow : ApiSettings.mlflowUrl(ApiOptions.environment, cwd);
        Path home = ApiSettings.mlopsHome(ApiOptions.environment, cwd);
        String sample = null;
        String label = null;
        if (!streamed.images().isEmpty()) {
            try {
                sample = typed(DemoSampleImage.save(streamed.images().get(0), home.resolve("demo")), cwd);
                label = streamed.images().get(0).trueLabel();
            } catch (IOException | UncheckedIOException e) {
                out.println("note: could not save a test image to classify (" + e.getMessage() + ")");
            }
        }
        return new DemoNextSteps(MlflowLinks.compareRuns(mlflowBase, jobs), MlflowLinks.experiment(mlflowBase, jobs.get(0)),
                typed(home.resolve("infra").resolve("secrets").resolve("mlflow-admin"), cwd), sample, label,
                typed(source, cwd), inferenceUrl == null ? "" : " --url " + inferenceUrl,
                bootstrap == null ? "" : " --bootstrap " + bootstrap);
    }

    /** A path as the user would type it here: relative when it is under the working directory. */
    private static String typed(Path path, Path cwd) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(cwd) && !absolute.equals(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
    }

    /** Plain ResNet-50 with the usual recipe of the time: step schedule, no label smoothing. */
    TrainingConfig baselineConfig() {
        return budget.config().model(BASELINE).schedule(ScheduleKind.STEP).labelSmoothing(0).build();
    }

    /** The paper: average-pool Stage-4 shortcut, cosine schedule, label smoothing 0.1. */
    TrainingConfig paperConfig() {
        return budget.config().model(PAPER).schedule(ScheduleKind.COSINE).labelSmoothing(0.1).build();
    }

    private static JobView submit(ApiClient client, DatasetView dataset, TrainingConfig config, PrintWriter out) {
        JobView job = client.submitJob(new SubmitJobRequest(dataset.id().toString(), TrainingConfigCodec.toTree(config),
                null), IdempotencyKeys.orRandom(null)).body();
        out.printf("submitted job %s: %s, %d epochs, %s training images, batch %d, lr %s, augmentation %s%n",
                job.id(), config.model(), config.epochs(),
                config.maxTrainSamples() == 0 ? "all" : String.valueOf(config.maxTrainSamples()), config.batchSize(),
                config.learningRate(), config.augment() ? "on" : "off");
        out.flush();
        return job;
    }

    /**
     * The pending job a worker took first (or that already ended): workers take jobs in no fixed
     * order, and following a queued job would show nothing while the other one trains.
     */
    private static JobView nextStarted(ApiClient client, List<JobView> pending, PrintWriter out)
            throws InterruptedException {
        boolean announced = false;
        while (true) {
            for (JobView job : pending) {
                if (client.job(job.id()).body().state() != JobState.QUEUED) {
                    return job;
                }
            }
            if (!announced) {
                out.printf("waiting for a trainer worker to take a job (%d queued)%n", pending.size());
                out.flush();
                announced = true;
            }
            Thread.sleep(2000);
        }
    }

    /** The best test top-1 among the versions that passed the ONNX parity gate; on a tie, the later job (the paper's). */
    static ModelVersionView champion(java.util.Collection<ModelVersionView> versions) {
        return versions.stream().filter(ModelVersionView::parityPassed)
                .reduce((a, b) -> top1(b) >= top1(a) ? b : a)
                .orElseThrow(() -> new DemoFailedException("no version passed the ONNX parity gate, so none can be "
                        + "promoted; see ./mlops models registered and ./mlops logs evaluator"));
    }

    private static double top1(ModelVersionView v) {
        return v.top1() == null ? -1 : v.top1();
    }

    static JobView jobOf(List<JobView> jobs, UUID id) {
        return jobs.stream().filter(j -> j.id().equals(id)).findFirst().orElseThrow();
    }

    private static void step(PrintWriter out, int number, String what) {
        out.printf("%n== %d/6 %s%n", number, what);
        out.flush();
    }
}
