package dev.resnetops.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** A duration flag: {@code 90} (seconds), {@code 90s}, {@code 5m}, {@code 1h}, {@code 1m30s} or ISO {@code PT90S}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern UNITS = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+(?:\\.\\d+)?)s)?");

    @Override
    public Duration convert(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("pt")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            if (text.matches("\\d+(\\.\\d+)?")) {
                return seconds(text);
            }
            Matcher m = UNITS.matcher(text);
            if (!text.isEmpty() && m.matches()) {
                Duration d = Duration.ZERO;
                if (m.group(1) != null) {
                    d = d.plusHours(Long.parseLong(m.group(1)));
                }
                if (m.group(2) != null) {
                    d = d.plusMinutes(Long.parseLong(m.group(2)));
                }
                return m.group(3) != null ? d.plus(seconds(m.group(3))) : d;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // reported below
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration; write e.g. 90s, 5m, 1h30m "
                + "or a number of seconds");
    }

    private static Duration seconds(String number) {
        return Duration.ofMillis(Math.round(Double.parseDouble(number) * 1000));
    }
}
