package dev.resnetops.cli.platform;

import dev.resnetops.cli.ConfigOptions;
import dev.resnetops.cli.client.ApiResponse;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.SubmitJobRequest;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlops jobs submit}: POST /jobs with the configuration built and validated here first. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Submit a training job to the platform. The configuration flags are those of 'mlops train' "
                + "(a flag overrides the same field of --config); they are checked here, before anything is sent.",
                "Submitting again with the same --idempotency-key returns the first job instead of starting a second."})
final class JobsSubmitCommand implements Callable<Integer> {

    @Option(names = {"-d", "--dataset"}, required = true, paramLabel = "ID_OR_NAME",
            description = "Dataset id, or name (its newest READY registration); see 'mlops datasets list'.")
    String dataset;

    @Mixin ConfigOptions config;

    @Option(names = "--experiment", paramLabel = "NAME", description = "MLflow experiment (default: the dataset's name).")
    String experiment;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Makes resubmitting safe: the same key returns the first job (default: a new random key, "
                    + "reused when this command retries a request that timed out).")
    String idempotencyKey;

    @Mixin ApiOptions api;

    @Override
    public Integer call() {
        TrainingConfig trainingConfig = config.resolve(); // bad flags fail here, before any request
        String key = IdempotencyKeys.orRandom(idempotencyKey);
        SubmitJobRequest request = new SubmitJobRequest(dataset, TrainingConfigCodec.toTree(trainingConfig), experiment);
        ApiResponse<JobView> response = api.writer().submitJob(request, key);
        JobView job = response.body();
        boolean replayed = response.status() == 200;
        if (api.json()) {
            if (replayed) {
                api.err().println(alreadySubmitted(job));
                api.err().flush();
            }
            api.printJson(response.json());
            return 0;
        }
        PrintWriter out = api.out();
        if (replayed) {
            out.println(alreadySubmitted(job));
        } else {
            out.printf("submitted job %s: %s, %s epochs on dataset %s, %s%n", job.id(), job.model(),
                    job.config() != null && job.config().has("epochs") ? job.config().get("epochs").asText() : "?",
                    job.datasetId(), job.state());
        }
        out.printf("follow it with: mlops jobs show %s%n", ApiDisplay.shortId(job.id()));
        out.flush();
        return 0;
    }

    private static String alreadySubmitted(JobView job) {
        return "this idempotency key was used before: no new job was created; the first one is job " + job.id()
                + " (" + job.state() + ")";
    }
}
