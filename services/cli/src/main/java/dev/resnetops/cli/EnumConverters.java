package dev.resnetops.cli;

import dev.resnetops.contracts.api.JobState;
import dev.resnetops.vision.config.Precision;
import dev.resnetops.vision.config.ScheduleKind;
import dev.resnetops.vision.train.MemoryFormat;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** Lower-case enum values on the command line, matching the YAML/JSON spelling. */
public final class EnumConverters {

    private EnumConverters() {}

    public static <E extends Enum<E>> E parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase()).collect(Collectors.joining(", ")));
    }

    public static final class Schedule implements CommandLine.ITypeConverter<ScheduleKind> {
        @Override
        public ScheduleKind convert(String value) {
            return parse(ScheduleKind.class, value);
        }
    }

    public static final class PrecisionConverter implements CommandLine.ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            return parse(Precision.class, value);
        }
    }

    public static final class MemoryFormatConverter implements CommandLine.ITypeConverter<MemoryFormat> {
        @Override
        public MemoryFormat convert(String value) {
            return parse(MemoryFormat.class, value);
        }
    }

    public static final class JobStateConverter implements CommandLine.ITypeConverter<JobState> {
        @Override
        public JobState convert(String value) {
            return parse(JobState.class, value);
        }
    }
}
