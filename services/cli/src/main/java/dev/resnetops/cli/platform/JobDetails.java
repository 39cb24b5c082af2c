package dev.resnetops.cli.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resnetops.cli.ProgressPrinter;
import dev.resnetops.cli.TextTable;
import dev.resnetops.contracts.api.EpochMetricsView;
import dev.resnetops.contracts.api.JobStateChange;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.vision.config.InvalidConfigException;
import dev.resnetops.vision.config.TrainingConfig;
import dev.resnetops.vision.config.TrainingConfigCodec;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** One job as 'jobs show' prints it. */
final class JobDetails {

    private JobDetails() {}

    static void print(JobView job, PrintWriter out) {
        field(out, "job", String.valueOf(job.id()));
        field(out, "model", job.model());
        field(out, "state", job.state() + (job.stateReason() == null || job.stateReason().isBlank() ? ""
                : ": " + job.stateReason()) + (job.cancelRequested() && !job.state().isTerminal() ? " (cancel requested)" : ""));
        field(out, "dataset", job.datasetId() + (job.datasetVersionId() == null ? "" : ", version " + job.datasetVersionId()));
        field(out, "experiment", job.experiment());
        if (job.run() != null) {
            field(out, "worker", job.run().worker() + " on " + job.run().device() + ", attempt " + job.run().attempt());
            if (job.run().mlflowRunId() != null) {
                field(out, "mlflow run", job.run().mlflowRunId() + " (experiment " + job.run().mlflowExperimentId() + ")");
            }
        }
        field(out, "created", ApiDisplay.time(job.createdAt()) + ", updated " + ApiDisplay.time(job.updatedAt()));
        out.println();
        printConfigChanges(job, out);
        if (job.history() != null && !job.history().isEmpty()) {
            out.println();
            out.println("history:");
            TextTable history = TextTable.withColumns("state", "at", "reason");
            for (JobStateChange change : job.history()) {
                history.row(change.state(), ApiDisplay.time(change.at()), change.reason());
            }
            history.print(out, "  ");
        }
        out.println();
        printLatestMetrics(job, out);
        out.flush();
    }

    /** "3/10": the last finished epoch of the planned ones, or null before the first. */
    static String epochProgress(JobView job) {
        if (job.latestMetrics() == null) {
            return null;
        }
        JsonNode epochs = job.config() == null ? null : job.config().get("epochs");
        return job.latestMetrics().epoch() + "/" + (epochs == null ? "?" : epochs.asText());
    }

    /** Only what differs from the model's defaults: the full config is a wall of numbers nobody reads. */
    private static void printConfigChanges(JobView job, PrintWriter out) {
        if (job.config() == null || !job.config().isObject()) {
            out.println("config: (not given)");
            return;
        }
        String model = job.model() != null ? job.model() : TrainingConfig.DEFAULT_MODEL;
        JsonNode defaults;
        String note = "";
        try {
            defaults = TrainingConfigCodec.toTree(TrainingConfig.builder().model(model).build());
        } catch (InvalidConfigException e) {
            // A preset this client does not know (a newer platform): compare with the general defaults.
            defaults = TrainingConfigCodec.toTree(TrainingConfig.builder().build());
            note = " (preset unknown to this client; compared with " + TrainingConfig.DEFAULT_MODEL + ")";
        }
        // The warm-up's default follows epochs: compared with the one the job's own epochs give.
        JsonNode epochs = job.config().get("epochs");
        if (epochs != null && epochs.canConvertToInt() && epochs.intValue() >= 1 && defaults instanceof ObjectNode defaultFields) {
            defaultFields.put("warmupEpochs", TrainingConfig.defaultWarmupEpochs(epochs.intValue()));
        }
        TextTable changes = TextTable.withColumns("field", "value", "default");
        for (Iterator<Map.Entry<String, JsonNode>> fields = job.config().fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            JsonNode standard = defaults.get(field.getKey());
            if (!"model".equals(field.getKey()) && !sameValue(value, standard)) {
                changes.row(field.getKey(), text(value), standard == null ? "(unknown field)" : text(standard));
            }
        }
        if (changes.isEmpty()) {
            out.println("config: the defaults for " + model + note);
        } else {
            out.println("config: differences from the defaults for " + model + note + ":");
            changes.print(out, "  ");
        }
    }

    private static void printLatestMetrics(JobView job, PrintWriter out) {
        EpochMetricsView m = job.latestMetrics();
        if (m == null) {
            out.println("metrics: none yet (the first epoch has not finished)");
            return;
        }
        out.printf(Locale.ROOT, "latest metrics, epoch %s (%s):%n", epochProgress(job), ApiDisplay.time(m.recordedAt()));
        out.printf(Locale.ROOT, "  test top-1 %s, top-5 %s, loss %s%n", orDash(ApiDisplay.percent(m.valTop1())),
                orDash(ApiDisplay.percent(m.valTop5())), m.valLoss() == null ? "-" : String.format(Locale.ROOT, "%.4f", m.valLoss()));
        out.printf(Locale.ROOT, "  train loss %.4f, learning rate %.5f, %.1f img/s, epoch took %s%n", m.trainLoss(),
                m.learningRate(), m.imagesPerSecond(), ProgressPrinter.formatDuration(m.epochSeconds()));
    }

    private static boolean sameValue(JsonNode value, JsonNode standard) {
        if (standard == null) {
            return false;
        }
        if (value.isNumber() && standard.isNumber()) {
            return value.asDouble() == standard.asDouble(); // 1 and 1.0 are the same learning rate
        }
        return value.equals(standard);
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    private static void field(PrintWriter out, String name, String value) {
        out.printf("%-11s %s%n", name, value == null ? "-" : value);
    }
}
