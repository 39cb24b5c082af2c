package dev.resnetops.cli.stream;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text form of a {@link StreamSummary}, as {@code mlops stream} and {@code mlops demo} print it. */
public final class StreamReport {

    private static final int MISSING_SHOWN = 10;

    private StreamReport() {}

    public static void print(StreamSummary s, PrintWriter out) {
        print(s, out, "");
    }

    /** @param indent put before every line */
    public static void print(StreamSummary s, PrintWriter out, String indent) {
        out.printf(indent + "images sent      %d%n", s.sent());
        out.printf(indent + "predicted        %d%n", s.predicted());
        out.printf(indent + "dead-lettered    %d%n", s.deadLettered());
        for (Map.Entry<String, Integer> reason : s.deadLetterReasons().entrySet()) {
            out.printf(indent + "  %5d  %s%n", reason.getValue(), reason.getKey());
        }
        out.printf(indent + "duplicates       %d%s%n", s.duplicates(), s.duplicates() == 0 ? ""
                : "  (the service answered some images twice: exactly-once delivery is broken)");
        if (s.foreign() > 0) {
            out.printf(indent + "other clients'   %d answers ignored%n", s.foreign());
        }
        if (!s.complete()) {
            out.printf(indent + "MISSING          %d images got no answer:%n", s.missing().size());
            List<String> shown = s.missing().subList(0, Math.min(MISSING_SHOWN, s.missing().size()));
            shown.forEach(name -> out.printf(indent + "  %s%n", name));
            if (s.missing().size() > shown.size()) {
                out.printf(indent + "  ... and %d more%n", s.missing().size() - shown.size());
            }
        }
        if (s.labelled() > 0) {
            out.printf(Locale.ROOT, indent + "accuracy         top-1 %s, top-5 %s (%d predictions with a known true label)%n",
                    percent(s.top1()), percent(s.top5()), s.labelled());
        } else if (s.predicted() == 0) {
            out.println(indent + "accuracy         - (no predictions)");
        } else {
            out.println(indent + "accuracy         - (no true labels: stream a dataset folder or <class>/<file> folders)");
        }
        out.printf(Locale.ROOT, indent + "throughput       %s (%d answers in %s, first send to last answer)%n",
                s.imagesPerSecond() == null ? "-" : String.format(Locale.ROOT, "%.1f images/s", s.imagesPerSecond()),
                s.answered(), s.seconds() == null ? "-" : String.format(Locale.ROOT, "%.1f s", s.seconds()));
        StreamSummary.Latency l = s.latencyMillis();
        out.printf(Locale.ROOT, indent + "latency          p50 %s, p95 %s, p99 %s, max %s (send -> prediction received)%n",
                millis(l.p50()), millis(l.p95()), millis(l.p99()), millis(l.max()));
        out.println(indent + "model versions   " + (s.perModelVersion().isEmpty() ? "-" : ""));
        s.perModelVersion().forEach((version, count) -> out.printf(indent + "  %5d  %s%n", count, version));
        out.flush();
    }

    public static String percent(Double fraction) {
        return fraction == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    public static String millis(Double ms) {
        if (ms == null) {
            return "-";
        }
        return ms >= 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000) : String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
