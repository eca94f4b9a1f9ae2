package io.shardprop.job.cli;

import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Loss;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.OptimizerKind;
import io.shardprop.core.optim.OuterOptimizer;
import io.shardprop.job.config.DataFormat;
import io.shardprop.job.config.Engine;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Locale;

/**
 * picocli's conversion of an option's value to one of an enum's constants, by name in any case, for every
 * choice option of the commands; a bad value reads
 * {@code Invalid value for option '--loss': must be one of [seed, xent], got 'hinge'} (exit code 2).
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

    static final class OfLoss extends Choice<Loss> {
        OfLoss() {
            super(Loss.class);
        }
    }

    static final class OfInit extends Choice<Init> {
        OfInit() {
            super(Init.class);
        }
    }

    static final class OfPrecision extends Choice<Precision> {
        OfPrecision() {
            super(Precision.class);
        }
    }

    static final class OfEngine extends Choice<Engine> {
        OfEngine() {
            super(Engine.class);
        }
    }

    static final class OfOptimizer extends Choice<OptimizerKind> {
        OfOptimizer() {
            super(OptimizerKind.class);
        }
    }

    static final class OfSchedule extends Choice<LrSchedule.Kind> {
        OfSchedule() {
            super(LrSchedule.Kind.class);
        }
    }

    static final class OfOuter extends Choice<OuterOptimizer.Kind> {
        OfOuter() {
            super(OuterOptimizer.Kind.class);
        }
    }

    static final class OfFormat extends Choice<DataFormat> {
        OfFormat() {
            super(DataFormat.class);
        }
    }
}
