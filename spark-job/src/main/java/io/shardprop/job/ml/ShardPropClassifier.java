package io.shardprop.job.ml;

import io.shardprop.job.config.OptionValues;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.model.SavedModel;
import io.shardprop.job.train.TrainWorkflow;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

/**
 * A Spark ML {@link Estimator} of {@link ShardPropModel}: {@code fit(df)} trains ShardProp's MLP on any
 * DataFrame with a vector {@code features} column and a numeric {@code label} column (integers
 * {@code 0 … k−1}) through {@code train}'s own workflow ({@link TrainWorkflow#fit}: blocks cached on the
 * executors, exact sums, local steps between syncs), so it works in a {@code Pipeline} and in
 * {@code CrossValidator} / {@code TrainValidationSplit}.
 *
 * <p>Its Params are {@code train}'s {@link TrainOptions training options}, derived from their declarations: the
 * camel-case names ({@code weightDecay}, {@code syncsPerEpoch}), MLPC's where it has one ({@code maxIter} for the
 * epochs, {@code stepSize} for the learning rate, {@code blockSize}, {@code seed}), the declared ranges, and the
 * declared {@code fitDefault}s: the MNIST preset's ({@code conf/mnist.properties}) but for {@code shift} (0, since
 * a DataFrame's rows need not be images). Set them with {@link #set(TrainOption, Object)} or, as any Params,
 * through {@link #getParam(String)} and a {@code ParamGridBuilder}. MLPC's own are here too: {@code layers}
 * (input width, hidden widths, classes; unset, the width comes from the data, the classes from the largest label,
 * the hidden widths from {@code hidden}), {@code initialWeights} and the column names.
 *
 * <p>{@code weightCol}, {@code validationIndicatorCol} and early stopping: {@link ShardPropEstimator}.
 *
 * <p>Bad data (a missing column, a non-vector features column, a NaN or infinite feature, rows of different
 * widths, a label that is not an integer in range) and bad Params fail {@code fit} with an
 * {@link IllegalArgumentException} naming the column and the row, or the Param, before training starts.
 */
public final class ShardPropClassifier extends ShardPropEstimator<ShardPropModel, ShardPropClassifier> {

    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private final IntArrayParam layers;

    public ShardPropClassifier() {
        this(Identifiable.randomUID("shardpropc"));
    }

    /** With the given uid (Spark ML's copy and reader use this constructor). */
    public ShardPropClassifier(String uid) {
        super(uid, "label column: integers 0 .. classes - 1");
        probabilityCol = new Param<>(this, "probabilityCol", "probability column of the fitted model");
        rawPredictionCol = new Param<>(this, "rawPredictionCol", "raw prediction (log-probabilities) column");
        layers = new IntArrayParam(this, "layers", "sizes of all layers, input width first, classes last; "
                + "unset: from the data and 'hidden'", a -> a.length > 2 && Arrays.stream(a).allMatch(x -> x >= 1));
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
    }

    /** The reader that {@code Pipeline.load} and {@link #load(String)} use. */
    public static MLReader<ShardPropClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static ShardPropClassifier load(String path) {
        return read().load(path);
    }

    /** {@code probabilityCol}, {@code rawPredictionCol} and MLPC's {@code layers}. */
    @Override
    protected List<Param<?>> ownParams() {
        return List.of(probabilityCol, rawPredictionCol, layers);
    }

    /**
     * The model's output schema; checks that {@code featuresCol} is a vector column and {@code labelCol} a
     * numeric one when it is there (a pipeline's transform schema has no label).
     */
    @Override
    public StructType transformSchema(StructType schema) {
        checkColumns(schema);
        return copyValues(new ShardPropModel(uid(), null), ParamMap.empty()).transformSchema(schema);
    }

    @Override
    public ShardPropModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        int[] given = isSet(layers) ? getLayers() : null;
        String f = getFeaturesCol();
        OptionValues options = given == null ? options()
                : options().with(TrainOptions.HIDDEN, Arrays.copyOfRange(given, 1, given.length - 1));
        if (options.get(TrainOptions.LOSS).regression()) {
            throw new IllegalArgumentException("ShardPropClassifier: loss " + options.get(TrainOptions.LOSS).id()
                    + " is a regression loss (seed or xent here; ShardPropRegressor takes squared and huber)");
        }
        TrainWorkflow.Fitted fitted = fitted(dataset, given != null ? given[given.length - 1] : 0,
                given != null ? given[0] : 0,
                w -> "ShardPropClassifier: layers[0] is " + given[0] + " but '" + f + "' has " + w + " values", false,
                options);
        ShardPropModel model = new ShardPropModel(uid() + "-model",
                new SavedModel(fitted.model(), fitted.params(), fitted.manifest(), null));
        copyValues(model, ParamMap.empty());
        return model.withSummary(new ShardPropSummary(fitted.epochs())).setParent(this);
    }

    // MLPC's accessors: its output columns and layers

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public ShardPropClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    public String getRawPredictionCol() {
        return getOrDefault(rawPredictionCol);
    }

    public ShardPropClassifier setRawPredictionCol(String value) {
        set(rawPredictionCol, value);
        return this;
    }

    public IntArrayParam layers() {
        return layers;
    }

    public int[] getLayers() {
        return getOrDefault(layers);
    }

    public ShardPropClassifier setLayers(int[] value) {
        set(layers, value);
        return this;
    }
}
