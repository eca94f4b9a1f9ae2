package io.shardprop.job.cli;

import io.shardprop.job.config.DataFormat;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Locale;

/**
 * picocli's conversion of an option's value to one of an enum's constants, by name in any case, for the choice
 * options that are not training options ({@code --format}; those are {@link TrainingFlags}'); a bad value reads
 * {@code Invalid value for option '--format': must be one of [idx, libsvm, parquet, csv], got 'x'} (exit code 2).
 */
class Choice<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {

    private final Class<E> type;

    Choice(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw new CommandLine.TypeConversionException("must be one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + value + "'");
    }

    static final class OfFormat extends Choice<DataFormat> {
        OfFormat() {
            super(DataFormat.class);
        }
    }

    static final class OfTask extends Choice<io.shardprop.job.config.Task> {
        OfTask() {
            super(io.shardprop.job.config.Task.class);
        }
    }
}
