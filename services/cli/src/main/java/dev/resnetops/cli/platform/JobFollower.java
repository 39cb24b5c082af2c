package dev.resnetops.cli.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resnetops.cli.ProgressPrinter;
import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiException;
import dev.resnetops.cli.client.ServerSentEvent;
import dev.resnetops.contracts.api.EpochMetricsView;
import dev.resnetops.contracts.api.JobState;
import dev.resnetops.contracts.api.JobView;
import dev.resnetops.contracts.messages.MessageCodec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code jobs show --follow}: draws a progress bar (epoch, step, img/s, ETA) and a line per epoch, and
 * ends with the result. It follows the job's live events ({@code GET /jobs/{id}/events}); where they are
 * not to be had (an older platform, a stream that broke) it polls the job every {@code interval}. On a
 * terminal the bar redraws in place; in a pipe or log each change is a line.
 */
final class JobFollower {

    private static final int BAR = 30;
    /** MessageCodec.mapper() hands out a copy each call: one for every event of every follow. */
    private static final ObjectMapper JSON = MessageCodec.mapper();

    private final ApiClient client;
    private final PrintWriter out;
    private final boolean inPlace;
    private final Duration interval;

    private JobState lastState;
    private int lastEpochShown;
    private String lastLine = "";

    JobFollower(ApiClient client, PrintWriter out, boolean inPlace, Duration interval) {
        this.client = client;
        this.out = out;
        this.inPlace = inPlace;
        this.interval = interval;
    }

    /** Follows until the job ends; returns it. */
    JobView follow(UUID id) throws InterruptedException {
        lastState = null;
        lastEpochShown = 0;
        lastLine = "";
        try {
            client.jobEvents(id, this::onEvent);
        } catch (ApiException e) {
            if (e.kind() == ApiException.Kind.UNREACHABLE && lastState != null) {
                endBar();
                out.printf("live events interrupted (%s); polling every %s%n", e.getMessage(),
                        ProgressPrinter.formatDuration(interval.toMillis() / 1000.0));
            }
            // Otherwise no stream at all (an older platform answers 404 for it): polling shows what the
            // job is, or the error of GET /jobs/{id} itself.
        }
        return poll(id);
    }

    private void onEvent(ServerSentEvent event) {
        JsonNode data = event.data();
        switch (event.name()) {
            case "job" -> show(JSON.convertValue(data, JobView.class));
            case "TrainingStarted" -> showState(JobState.RUNNING, "attempt " + data.path("attempt").asInt() + " on "
                    + data.path("worker").asText() + " (" + data.path("device").asText() + ")");
            case "TrainingProgress" -> drawBar(bar(data));
            case "EpochCompleted" -> showEpoch(data.path("epoch").asInt(), data.path("trainLoss").asDouble(),
                    number(data, "valTop1"), number(data, "valTop5"), data.path("imagesPerSecond").asDouble(),
                    data.path("epochSeconds").asDouble());
            default -> { } // heartbeat, TrainingFinished (the snapshot after it says it all), newer kinds
        }
        out.flush();
    }

    /** Until the job has ended; after a live stream it is one request, which returns the final job. */
    private JobView poll(UUID id) throws InterruptedException {
        while (true) {
            JobView job = client.job(id).body();
            show(job);
            out.flush();
            if (job.state().isTerminal()) {
                endBar();
                out.flush();
                return job;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private void show(JobView job) {
        showState(job.state(), job.stateReason() == null ? "" : job.stateReason());
        EpochMetricsView m = job.latestMetrics();
        if (m != null) {
            showEpoch(m.epoch(), m.trainLoss(), m.valTop1(), m.valTop5(), m.imagesPerSecond(), m.epochSeconds());
        }
        if (!job.state().isTerminal()) {
            drawBar(bar(job));
        }
    }

    private void showState(JobState state, String reason) {
        if (state != lastState) {
            endBar();
            out.printf("%s  %s%n", state, reason);
            lastState = state;
        }
    }

    private void showEpoch(int epoch, double trainLoss, Double top1, Double top5, double imagesPerSecond,
                           double seconds) {
        if (epoch > lastEpochShown) {
            endBar();
            out.printf(Locale.ROOT, "epoch %d: loss %.4f, val top-1 %s, top-5 %s, %.1f img/s, %s%n", epoch, trainLoss,
                    percent(top1), percent(top5), imagesPerSecond, ProgressPrinter.formatDuration(seconds));
            lastEpochShown = epoch;
        }
    }

    private void drawBar(String line) {
        if (line != null && !line.equals(lastLine)) {
            out.print(inPlace ? "\r" + line : line + System.lineSeparator());
            lastLine = line;
        }
    }

    /** On a terminal, the next output starts below the bar; the bar is drawn again after it. */
    private void endBar() {
        if (inPlace && !lastLine.isEmpty()) {
            out.println();
        }
        lastLine = "";
    }

    /** "[=====>     ] epoch 2/5 step 40/94  15.2 img/s  loss 1.234  ETA 3m10s", or null without progress yet. */
    static String bar(JobView job) {
        return job.run() == null ? null : bar(job.run().progress());
    }

    /** The bar from a job's progress: its {@code progress} field, or a TrainingProgress event (same fields). */
    static String bar(JsonNode p) {
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

    private static Double number(JsonNode data, String field) {
        JsonNode value = data.path(field);
        return value.isNumber() ? value.asDouble() : null;
    }

    private static String percent(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
