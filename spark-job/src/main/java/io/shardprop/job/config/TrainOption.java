package io.shardprop.job.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One training option, declared once: its name, value type, default, valid range and one line of doc. Everything
 * else derives from it: the {@code train} flag {@code --name} and the {@code --config} key {@code name}, the Spark
 * ML Param of {@code ShardPropClassifier} ({@link #param()}, camel case), the key of the recipe that
 * {@code model.json} and {@code checkpoint.json} record (options that {@link #shapesWeights()}), the range check
 * and {@code docs/cli.md}. Where the classifier starts from another default on purpose (the MNIST preset's, as
 * {@code conf/mnist.properties}), {@link #fitDefault()} says so here.
 *
 * @param name           {@code weight-decay}: the flag without dashes, the config key, the recipe key
 * @param label          the value's placeholder in the help ({@code L}, {@code N[,N...]})
 * @param type           the value's type
 * @param defaultValue   {@code train}'s default (null: none)
 * @param fitDefault     {@code ShardPropClassifier}'s default: the MNIST preset's where it differs from train's
 * @param validity       the valid values ({@link #valid(Object)})
 * @param range          the valid range as users read it ({@code ≥ 0}, {@code in [0, 1)}), empty for any value
 * @param doc            the one line of doc, without the default
 * @param shapesWeights  whether the option shapes the weights: recorded in a run's recipe, and a resumed run must
 *                       repeat it
 * @param param          the Spark ML Param's name ({@code weightDecay}; MLPC's where it has one), or null for
 *                       command-line only
 * @param recorded       when the recipe records it (settings of an optimizer not in use are left out)
 * @param describesModel whether {@code model.json} records it although a resumed run need not repeat it
 * @param <T>            the value's type
 */
public record TrainOption<T>(String name, String label, OptionType<T> type, T defaultValue, T fitDefault,
                             Predicate<T> validity, String range, String doc, boolean shapesWeights, String param,
                             Predicate<OptionValues> recorded, boolean describesModel) {

    /** Starts a declaration: {@code name} is the long flag without its dashes, {@code label} its value's. */
    public static <T> Builder<T> of(String name, String label, OptionType<T> type, T defaultValue, String doc) {
        return new Builder<>(name, label, type, defaultValue, doc);
    }

    /** {@code --weight-decay}. */
    public String flag() {
        return "--" + name;
    }

    /** Whether {@code value} is in the range. */
    public boolean valid(T value) {
        return value != null && validity.test(value);
    }

    /** Whether the recipe of {@code values} records this option (settings of an optimizer not in use are left out). */
    public boolean recordedIn(OptionValues values) {
        return shapesWeights && recorded.test(values);
    }

    /**
     * Whether {@code model.json} records the option's value in {@code values}: the recipe's options, and those that
     * describe the model without a resumed run having to repeat them ({@code epochs}, {@code init}).
     */
    public boolean inModelOf(OptionValues values) {
        return recordedIn(values) || describesModel && values.get(this) != null;
    }

    @Override
    public String toString() {
        return flag();
    }

    /** The parts of a declaration beyond the first five, each optional. */
    public static final class Builder<T> {
        private final String name;
        private final String label;
        private final OptionType<T> type;
        private final T defaultValue;
        private final String doc;
        private T fitDefault;
        private Predicate<T> valid = v -> true;
        private String range = "";
        private boolean shapesWeights;
        private String param;
        private Predicate<OptionValues> recorded = v -> true;
        private boolean describesModel;

        private Builder(String name, String label, OptionType<T> type, T defaultValue, String doc) {
            this.name = Objects.requireNonNull(name);
            this.label = label;
            this.type = type;
            this.defaultValue = defaultValue;
            this.fitDefault = defaultValue;
            this.doc = doc;
            this.param = camel(name);
        }

        /** The valid values, and how the help and errors say it ({@code "≥ 0"}). */
        public Builder<T> range(Predicate<T> valid, String range) {
            this.valid = valid;
            this.range = range;
            return this;
        }

        /** The option shapes the weights (recorded in the recipe), when {@code when} holds of the run's values. */
        public Builder<T> shapesWeights(Predicate<OptionValues> when) {
            this.shapesWeights = true;
            this.recorded = when;
            return this;
        }

        /** The option shapes the weights, always. */
        public Builder<T> shapesWeights() {
            return shapesWeights(v -> true);
        }

        /** {@code model.json} records the value, but a resumed run need not repeat it ({@code --epochs} may grow). */
        public Builder<T> describesModel() {
            this.describesModel = true;
            return this;
        }

        /** The classifier's default, on purpose other than {@code train}'s (the MNIST preset's). */
        public Builder<T> fitDefault(T value) {
            this.fitDefault = value;
            return this;
        }

        /** The Spark ML Param's name when it is not the camel-case name (MLPC's {@code maxIter}, {@code stepSize}). */
        public Builder<T> param(String mlName) {
            this.param = mlName;
            return this;
        }

        /** Command-line only: no Spark ML Param. */
        public Builder<T> noParam() {
            this.param = null;
            return this;
        }

        public TrainOption<T> build() {
            return new TrainOption<>(name, label, type, defaultValue, fitDefault, valid, range, doc, shapesWeights,
                    param, recorded, describesModel);
        }
    }

    private static String camel(String name) {
        StringBuilder b = new StringBuilder();
        for (String part : name.split("-")) {
            b.append(b.length() == 0 ? part : part.substring(0, 1).toUpperCase(Locale.ROOT) + part.substring(1));
        }
        return b.toString();
    }
}
