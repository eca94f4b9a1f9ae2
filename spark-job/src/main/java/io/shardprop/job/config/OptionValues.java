package io.shardprop.job.config;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A value for every {@link TrainOptions training option}: the typed configuration that {@code train}'s flags and
 * {@code ShardPropClassifier}'s Params both fill, and the one place their ranges are checked ({@link #checked()}).
 * Immutable: {@link #with} returns a copy.
 */
public final class OptionValues {

    private final Map<TrainOption<?>, Object> values;

    private OptionValues(Map<TrainOption<?>, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** {@code train}'s defaults. */
    public static OptionValues defaults() {
        return from(TrainOption::defaultValue);
    }

    /** The classifier's defaults (the MNIST preset's). */
    public static OptionValues fitDefaults() {
        return from(TrainOption::fitDefault);
    }

    /** Each option's value as {@code source} gives it. */
    public static OptionValues from(Function<TrainOption<?>, Object> source) {
        Map<TrainOption<?>, Object> m = new IdentityHashMap<>();
        for (TrainOption<?> o : TrainOptions.ALL) {
            Object v = source.apply(o);
            m.put(o, v instanceof int[] a ? a.clone() : v);
        }
        return new OptionValues(m);
    }

    /** The value of {@code option}. */
    public <T> T get(TrainOption<T> option) {
        Object v = values.get(option);
        return v instanceof int[] a ? option.type().cast(a.clone()) : option.type().cast(v);
    }

    /** A copy with {@code option} set to {@code value}. */
    public <T> OptionValues with(TrainOption<T> option, T value) {
        Map<TrainOption<?>, Object> m = new IdentityHashMap<>(values);
        m.put(option, value);
        return new OptionValues(m);
    }

    /**
     * These values, each checked against its declared range.
     *
     * @throws OptionException naming the first option out of range
     */
    public OptionValues checked() {
        for (TrainOption<?> o : TrainOptions.ALL) {
            check(o);
        }
        return this;
    }

    private <T> void check(TrainOption<T> o) {
        T v = get(o);
        if (v != null && !o.valid(v)) {
            throw OptionException.outOfRange(o, v);
        }
    }

    /**
     * The options a run's {@code model.json} records, by name, as JSON values: numbers, booleans, lists of widths,
     * and choices by name.
     */
    public Map<String, Object> described() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (TrainOption<?> o : TrainOptions.ALL) {
            if (o.inModelOf(this)) {
                Object v = values.get(o);
                m.put(o.name(), v instanceof int[] a ? java.util.Arrays.stream(a).boxed().toList()
                        : v instanceof Enum<?> ? o.type().formatAny(v) : v);
            }
        }
        return m;
    }

    /** The options that shaped the weights (the recipe a resumed run must repeat), by name, as users write them. */
    public Map<String, String> recipe() {
        Map<String, String> m = new LinkedHashMap<>();
        for (TrainOption<?> o : TrainOptions.ALL) {
            if (o.recordedIn(this)) {
                m.put(o.name(), o.type().formatAny(values.get(o)));
            }
        }
        return m;
    }
}
