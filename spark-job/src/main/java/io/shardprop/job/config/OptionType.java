package io.shardprop.job.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The value type of a {@link TrainOption}: its Java class, how a value is written (in a recipe, a checkpoint,
 * {@code model.json}, a default in the help) and read back (a default, a {@code --config} value). Choices are
 * enums written as their lower-case names ({@code momentum}, {@code float32}).
 *
 * @param <T> the value's type
 */
public final class OptionType<T> {

    /** A whole number. */
    public static final OptionType<Integer> INT = new OptionType<>(Integer.class, Object::toString, Integer::valueOf);
    /** A long whole number (seeds). */
    public static final OptionType<Long> LONG = new OptionType<>(Long.class, Object::toString, Long::valueOf);
    /** A double. */
    public static final OptionType<Double> DOUBLE = new OptionType<>(Double.class, Object::toString, Double::valueOf);
    /** true or false. */
    public static final OptionType<Boolean> BOOL = new OptionType<>(Boolean.class, Object::toString,
            Boolean::valueOf);
    /** Whole numbers separated by commas ({@code 300,100}). */
    public static final OptionType<int[]> INTS = new OptionType<>(int[].class,
            a -> Arrays.stream(a).mapToObj(Integer::toString).collect(Collectors.joining(",")),
            s -> Arrays.stream(s.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray());
    /** A path or URI. */
    public static final OptionType<String> TEXT = new OptionType<>(String.class, s -> s, s -> s);

    private final Class<T> type;
    private final Function<T, String> format;
    private final Function<String, T> parse;

    private OptionType(Class<T> type, Function<T, String> format, Function<String, T> parse) {
        this.type = type;
        this.format = format;
        this.parse = parse;
    }

    /** One of {@code choices}' constants, by its lower-case name. */
    public static <E extends Enum<E>> OptionType<E> choice(Class<E> choices) {
        return new OptionType<>(choices, OptionType::id, s -> {
            for (E e : choices.getEnumConstants()) {
                if (id(e).equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw new IllegalArgumentException("must be one of " + ids(choices) + ", got '" + s + "'");
        });
    }

    /** The lower-case names of an enum's constants, as users write them. */
    public static String ids(Class<? extends Enum<?>> choices) {
        return Arrays.stream(choices.getEnumConstants()).map(OptionType::id).toList().toString();
    }

    private static String id(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Class<T> type() {
        return type;
    }

    /** Whether the values are an enum's constants. */
    public boolean isChoice() {
        return type.isEnum();
    }

    /** {@code value} as users write it. */
    public String format(T value) {
        return format.apply(value);
    }

    /**
     * {@code value} as the help shows it: {@link #format}'s, but numbers as short as they are exact ({@code 1e-5},
     * {@code 0}, not {@code 1.0E-5}, {@code 0.0}).
     */
    public String show(T value) {
        if (!(value instanceof Double d) || !Double.isFinite(d)) {
            return format(value);
        }
        java.math.BigDecimal b = java.math.BigDecimal.valueOf(d).stripTrailingZeros();
        String plain = b.toPlainString();
        String scientific = b.unscaledValue() + "e" + -b.scale();
        return b.scale() > 0 && scientific.length() < plain.length() ? scientific : plain;
    }

    /** {@code value} as {@link #format} writes it, or null for null. */
    @SuppressWarnings("unchecked")
    public String formatAny(Object value) {
        return value == null ? null : format.apply((T) value);
    }

    /**
     * A written value read back.
     *
     * @throws IllegalArgumentException when it is not one ({@link NumberFormatException} for numbers)
     */
    public T parse(String text) {
        return parse.apply(text);
    }

    /** {@code value} as this type, or a {@link ClassCastException}. */
    public T cast(Object value) {
        return type.cast(value);
    }
}
