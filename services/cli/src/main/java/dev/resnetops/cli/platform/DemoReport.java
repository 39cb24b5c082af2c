package dev.resnetops.cli.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.cli.ProgressPrinter;
import dev.resnetops.cli.TextTable;
import dev.resnetops.cli.stream.StreamReport;
import dev.resnetops.cli.stream.StreamSummary;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.api.ModelVersionView;
import dev.resnetops.contracts.messages.MessageCodec;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What {@code mlops demo} found: both runs as the evaluator measured them, and the stream through the
 * champion; it ends with where to look next. The top-1 / top-5 are the evaluator's, the values it logs
 * to each run in MLflow as {@code test_top1} / {@code test_top5}.
 */
record DemoReport(String model, List<JobView> jobs, Map<UUID, ModelVersionView> versions, int champion,
                  StreamSummary stream, double wallSeconds, DemoBudget budget, DemoNextSteps next) {

    void print(PrintWriter out) {
        out.println();
        out.println("== results");
        out.printf("budget: %d epochs on %s training images per run, batch %d, lr %s, augmentation %s (raise it:"
                + " ./mlops demo --epochs 10 --max-train-samples 0 --augment ...)%n", budget.epochs,
                budget.maxTrainSamples == 0 ? "all" : String.valueOf(budget.maxTrainSamples), budget.batchSize,
                budget.learningRate, budget.augment ? "on" : "off");
        out.println();
        out.printf("test split, measured by the evaluator (%s; in MLflow each run's test_top1 / test_top5):%n", model);
        TextTable runs = TextTable.withColumns("run", "preset", "job", "version", "top-1", "top-5", "")
                .alignRight("version", "top-1", "top-5");
        for (JobView job : jobs) {
            ModelVersionView v = versions.get(job.id());
            runs.row(role(job), job.model(), ApiDisplay.shortId(job.id()), v.version(),
                    ModelsRegisteredCommand.percent(v.top1()), ModelsRegisteredCommand.percent(v.top5()),
                    v.version() == champion ? "champion" : "");
        }
        runs.print(out, "  ");
        out.println();
        out.printf("streamed through Kafka to the inference service (champion version %d):%n", champion);
        StreamReport.print(stream, out, "  ");
        ModelVersionView served = versions.values().stream().filter(v -> v.version() == champion).findFirst().orElseThrow();
        if (stream.top1() != null) {
            out.printf(Locale.ROOT, "  streamed top-1 %s vs the evaluator's %s on the same test split%n",
                    StreamReport.percent(stream.top1()), ModelsRegisteredCommand.percent(served.top1()));
        }
        out.println();
        out.println("wall time: " + ProgressPrinter.formatDuration(wallSeconds));
        out.println();
        next.print(out);
        out.flush();
    }

    JsonNode toJson() {
        ObjectNode root = MessageCodec.mapper().createObjectNode();
        root.put("model", model);
        ArrayNode runs = root.putArray("runs");
        for (JobView job : jobs) {
            ModelVersionView v = versions.get(job.id());
            ObjectNode run = runs.addObject();
            run.put("run", role(job));
            run.put("preset", job.model());
            run.put("jobId", job.id().toString());
            run.put("version", v.version());
            run.put("testTop1", v.top1());
            run.put("testTop5", v.top5());
            run.put("champion", v.version() == champion);
        }
        root.set("stream", MessageCodec.mapper().valueToTree(stream));
        root.put("mlflowCompareUrl", next.compareUrl());
        root.put("mlflowExperimentUrl", next.experimentUrl());
        root.put("wallSeconds", wallSeconds);
        return root;
    }

    private static String role(JobView job) {
        return DemoCommand.PAPER.equals(job.model()) ? "paper" : DemoCommand.BASELINE.equals(job.model()) ? "baseline" : "";
    }
}
