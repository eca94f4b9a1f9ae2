package io.shardprop.job.ml;

import io.shardprop.job.config.TrainOption;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

import java.util.Locale;

/**
 * The Spark ML Param of a {@link TrainOption}, derived from its declaration: the declared Param name and doc, a
 * validator that is the declared range, and values converted between the two (a choice is its name as a
 * string, {@code "momentum"}, so Params stay plain JSON when a pipeline is saved).
 */
final class OptionParams {

    private OptionParams() {
    }

    /** A new Param of {@code parent} for {@code option}. */
    static Param<?> of(Params parent, TrainOption<?> option) {
        String doc = option.doc() + (option.range().isEmpty() ? "" : " (" + option.range() + ")");
        Class<?> t = option.type().type();
        if (t == Integer.class) {
            return new IntParam(parent, option.param(), doc, v -> valid(option, v));
        }
        if (t == Long.class) {
            return new LongParam(parent, option.param(), doc, v -> valid(option, v));
        }
        if (t == Double.class) {
            return new DoubleParam(parent, option.param(), doc, v -> valid(option, v));
        }
        if (t == Boolean.class) {
            return new BooleanParam(parent, option.param(), doc);
        }
        if (t == int[].class) {
            return new IntArrayParam(parent, option.param(), doc, v -> valid(option, v));
        }
        return new Param<String>(parent, option.param(), doc, v -> valid(option, v));
    }

    /** {@code value} (an option's) as its Param holds it. */
    static Object toParam(TrainOption<?> option, Object value) {
        return option.type().isChoice() ? ((Enum<?>) value).name().toLowerCase(Locale.ROOT) : value;
    }

    /** A Param's {@code value} as the option's. */
    static <T> T fromParam(TrainOption<T> option, Object value) {
        return value instanceof String s && option.type().isChoice() ? option.type().parse(s)
                : option.type().cast(value);
    }

    private static <T> boolean valid(TrainOption<T> option, Object value) {
        try {
            return option.valid(fromParam(option, value));
        } catch (IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }
}
