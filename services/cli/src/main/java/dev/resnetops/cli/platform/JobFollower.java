package dev.resnetops.cli.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resnetops.cli.ProgressPrinter;
import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.contracts.api.EpochMetricsView;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code jobs show --follow}: polls the job and draws a progress bar (epoch, step, img/s, ETA) that
 * ends with the result. On a terminal the bar redraws in place; in a pipe or log each change is a line.
 */
final class JobFollower {

    private static final int BAR = 30;

    private final ApiClient client;
    private final PrintWriter out;
    private final boolean inPlace;
    private final Duration interval;

    JobFollower(ApiClient client, PrintWriter out, boolean inPlace, Duration interval) {
        this.client = client;
        this.out = out;
        this.inPlace = inPlace;
        this.interval = interval;
    }

    /** Follows until the job ends; returns it. */
    JobView follow(UUID id) throws InterruptedException {
        int lastEpochShown = 0;
        String lastLine = "";
        JobState lastState = null;
        while (true) {
            JobView job = client.job(id).body();
            if (job.state() != lastState) {
                endBar(lastLine);
                lastLine = "";
                out.printf("%s  %s%n", job.state(), job.stateReason() == null ? "" : job.stateReason());
                lastState = job.state();
            }
            EpochMetricsView m = job.latestMetrics();
            if (m != null && m.epoch() > lastEpochShown) {
                endBar(lastLine);
                if (inPlace) {
                    lastLine = ""; // the bar is drawn again below the epoch line
                }
                out.printf(Locale.ROOT, "epoch %d: loss %.4f, val top-1 %s, top-5 %s, %.1f img/s, %s%n", m.epoch(),
                        m.trainLoss(), percent(m.valTop1()), percent(m.valTop5()), m.imagesPerSecond(),
                        ProgressPrinter.formatDuration(m.epochSeconds()));
                lastEpochShown = m.epoch();
            }
            if (job.state().isTerminal()) {
                endBar(lastLine);
                out.flush();
                return job;
            }
            String line = bar(job);
            if (line != null && !line.equals(lastLine)) {
                out.print(inPlace ? "\r" + line : line + System.lineSeparator());
                lastLine = line;
            }
            out.flush();
            Thread.sleep(interval.toMillis());
        }
    }

    private void endBar(String lastLine) {
        if (inPlace && !lastLine.isEmpty()) {
            out.println();
        }
    }

    /** "[=====>     ] epoch 2/5 step 40/94  15.2 img/s  loss 1.234  ETA 3m10s", or null without progress yet. */
    static String bar(JobView job) {
        JsonNode p = job.run() == null ? null : job.run().progress();
        if (p == null || p.isNull() || !p.has("epoch")) {
            return null;
        }
        int epoch = p.path("epoch").asInt();
        int epochs = Math.max(1, p.path("epochs").asInt(1));
        int step = p.path("step").asInt();
        int steps = Math.max(1, p.path("stepsPerEpoch").asInt(1));
        double done = Math.min(1.0, ((epoch - 1) + step / (double) steps) / epochs);
        int filled = (int) Math.round(done * BAR);
        String bar = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "") + " ".repeat(BAR - filled);
        return String.format(Locale.ROOT, "[%s] %3.0f%%  epoch %d/%d step %d/%d  %.1f img/s  loss %.4f  ETA %s", bar,
                100 * done, epoch, epochs, step, steps, p.path("imagesPerSecond").asDouble(), p.path("loss").asDouble(),
                ProgressPrinter.formatDuration(p.path("etaSeconds").asDouble()));
    }

    private static String percent(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
