package dev.resnetops.cli.platform;

import dev.resnetops.cli.ProgressPrinter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/** How API values read in tables: short ids and hashes, local times, ages, percentages. */
final class ApiDisplay {

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private ApiDisplay() {}

    /** The first 8 hex digits: enough to tell ids apart in a listing, and accepted back by 'show'. */
    static String shortId(UUID id) {
        return id == null ? null : id.toString().substring(0, 8);
    }

    static String shortHash(String hash) {
        if (hash == null) {
            return null;
        }
        String hex = hash.contains(":") ? hash.substring(hash.indexOf(':') + 1) : hash; // "sha256:..." or bare
        return hex.substring(0, Math.min(12, hex.length()));
    }

    static String time(Instant instant) {
        return instant == null ? null : LOCAL_TIME.format(instant);
    }

    static String age(Instant since, Instant now) {
        if (since == null) {
            return null;
        }
        return ProgressPrinter.formatDuration(Math.max(0, Duration.between(since, now).toSeconds()));
    }

    static String percent(Double fraction) {
        return fraction == null ? null : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    static String count(Integer value) {
        return value == null ? null : String.format(Locale.ROOT, "%,d", value);
    }

    static String numbers(List<Double> values) {
        return values == null ? null
                : values.stream().map(v -> String.format(Locale.ROOT, "%.4f", v)).collect(Collectors.joining(", ", "[", "]"));
    }
}
