package io.shardprop.job.ml;

import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.model.Layout;
import io.shardprop.job.config.OptionException;
import io.shardprop.job.config.OptionValues;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.config.TrainOption;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.config.Vocabulary;
import io.shardprop.job.error.Failure;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.model.SavedModel;
import io.shardprop.job.train.FrameData;
import io.shardprop.job.train.TrainWorkflow;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * <p>Bad data (a missing column, a non-vector features column, a NaN or infinite feature, rows of different
 * widths, a label that is not an integer in range) and bad Params fail {@code fit} with an
 * {@link IllegalArgumentException} naming the column and the row, or the Param, before training starts.
 */
public final class ShardPropClassifier extends Estimator<ShardPropModel> implements DefaultParamsWritable {

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private final IntArrayParam layers;
    private final Param<Vector> initialWeights;
    private final Map<TrainOption<?>, Param<?>> training = new LinkedHashMap<>();

    public ShardPropClassifier() {
        this(Identifiable.randomUID("shardpropc"));
    }

    /** With the given uid (Spark ML's copy and reader use this constructor). */
    public ShardPropClassifier(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "features column: vectors of one width");
        labelCol = new Param<>(this, "labelCol", "label column: integers 0 .. classes - 1");
        predictionCol = new Param<>(this, "predictionCol", "prediction column of the fitted model");
        probabilityCol = new Param<>(this, "probabilityCol", "probability column of the fitted model");
        rawPredictionCol = new Param<>(this, "rawPredictionCol", "raw prediction (log-probabilities) column");
        layers = new IntArrayParam(this, "layers", "sizes of all layers, input width first, classes last; "
                + "unset: from the data and 'hidden'", a -> a.length > 2 && Arrays.stream(a).allMatch(x -> x >= 1));
        initialWeights = new Param<>(this, "initialWeights", "initial weights: the flat parameter vector "
                + "[W1 | W2 | b2 | ...] of the layout, row-major");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
        for (TrainOption<?> o : TrainOptions.ALL) {
            if (o.param() != null) {
                Param<?> p = OptionParams.of(this, o);
                training.put(o, p);
                defaultTo(p, OptionParams.toParam(o, o.fitDefault()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <T> void defaultTo(Param<T> p, Object value) {
        setDefault(p, (T) value);
    }

    /** The reader that {@code Pipeline.load} and {@link #load(String)} use. */
    public static MLReader<ShardPropClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static ShardPropClassifier load(String path) {
        return read().load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The column Params, MLPC's {@code layers} and {@code initialWeights}, and one Param a training option. */
    @Override
    public Param<?>[] params() {
        List<Param<?>> all = new ArrayList<>(List.of(featuresCol, labelCol, predictionCol, probabilityCol,
                rawPredictionCol, layers, initialWeights));
        all.addAll(training.values());
        return all.toArray(new Param<?>[0]);
    }

    @Override
    public ShardPropClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** The Param of a training option ({@code weightDecay} of {@link TrainOptions#WEIGHT_DECAY}). */
    public Param<?> param(TrainOption<?> option) {
        Param<?> p = training.get(option);
        if (p == null) {
            throw new IllegalArgumentException("ShardPropClassifier has no Param for " + option.flag());
        }
        return p;
    }

    /** Sets a training option's Param: {@code set(TrainOptions.WEIGHT_DECAY, 1e-4)}. */
    @SuppressWarnings("unchecked")
    public <T> ShardPropClassifier set(TrainOption<T> option, T value) {
        set((Param<Object>) param(option), OptionParams.toParam(option, value));
        return this;
    }

    /** A training option's value: set, or the classifier's default. */
    public <T> T get(TrainOption<T> option) {
        return OptionParams.fromParam(option, getOrDefault(param(option)));
    }

    /**
     * The model's output schema; checks that {@code featuresCol} is a vector column and {@code labelCol} a
     * numeric one when it is there (a pipeline's transform schema has no label).
     */
    @Override
    public StructType transformSchema(StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        String f = getFeaturesCol();
        if (!names.contains(f)) {
            throw new IllegalArgumentException("ShardPropClassifier: no column '" + f + "' (columns: "
                    + String.join(", ", names) + ")");
        }
        if (!(schema.apply(f).dataType() instanceof VectorUDT)) {
            throw new IllegalArgumentException("ShardPropClassifier: column '" + f + "' is "
                    + schema.apply(f).dataType().simpleString() + ", expected a vector (VectorAssembler makes one)");
        }
        String l = getLabelCol();
        if (names.contains(l) && !(schema.apply(l).dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("ShardPropClassifier: column '" + l + "' is "
                    + schema.apply(l).dataType().simpleString() + ", expected numbers");
        }
        return copyValues(new ShardPropModel(uid, null), ParamMap.empty()).transformSchema(schema);
    }

    @Override
    public ShardPropModel fit(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        transformSchema(schema);
        String l = getLabelCol();
        if (!Arrays.asList(schema.fieldNames()).contains(l)) {
            throw new IllegalArgumentException("ShardPropClassifier: no label column '" + l + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        Dataset<Row> df = dataset.toDF();
        int[] given = isSet(layers) ? getLayers() : null;
        String f = getFeaturesCol();
        FrameData data = new FrameData(spark -> new FrameData.Frames(df, "ShardPropClassifier", null, null),
                new FrameData.Columns(f, l, given != null ? given[given.length - 1] : 0, given != null ? given[0] : 0,
                        w -> "ShardPropClassifier: layers[0] is " + given[0] + " but '" + f + "' has " + w + " values"),
                "as given in '" + f + "'");
        TrainWorkflow.Fitted fitted;
        try {
            TrainConfig cfg = TrainConfig.of(options(given));
            fitted = new TrainWorkflow(cfg, data, null).fit(df.sparkSession(), this::startingWeights,
                    "spark (ShardPropClassifier.fit)");
        } catch (OptionException e) {
            throw new IllegalArgumentException("ShardPropClassifier: " + e.message(Vocabulary.PARAMS), e);
        } catch (MalformedFileException | UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("ShardPropClassifier.fit: " + Failure.of(e).message(), e);
        }
        ShardPropModel model = new ShardPropModel(uid + "-model",
                new SavedModel(fitted.model(), fitted.params(), fitted.manifest(), null));
        copyValues(model, ParamMap.empty());
        return model.withSummary(new ShardPropSummary(fitted.epochs())).setParent(this);
    }

    /** The training options these Params give ({@code layers}' hidden widths when it is set). */
    private OptionValues options(int[] given) {
        OptionValues v = OptionValues.from(o -> training.containsKey(o) ? get(o) : o.defaultValue());
        return given == null ? v : v.with(TrainOptions.HIDDEN, Arrays.copyOfRange(given, 1, given.length - 1));
    }

    private double[] startingWeights(Layout layout) {
        if (!isSet(initialWeights)) {
            return get(TrainOptions.INIT).draw(layout, get(TrainOptions.SEED));
        }
        double[] w = getInitialWeights().toArray();
        if (w.length != layout.paramCount()) {
            throw new IllegalArgumentException("ShardPropClassifier: initialWeights has " + w.length
                    + " values, layout " + layout.describe() + " needs " + layout.paramCount());
        }
        return w;
    }

    // MLPC's accessors: its columns, layers and initialWeights, and its names for four training options

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public ShardPropClassifier setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public ShardPropClassifier setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public ShardPropClassifier setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

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

    public Param<Vector> initialWeights() {
        return initialWeights;
    }

    public Vector getInitialWeights() {
        return getOrDefault(initialWeights);
    }

    public ShardPropClassifier setInitialWeights(Vector value) {
        set(initialWeights, value);
        return this;
    }

    public IntParam maxIter() {
        return (IntParam) param(TrainOptions.EPOCHS);
    }

    public int getMaxIter() {
        return get(TrainOptions.EPOCHS);
    }

    public ShardPropClassifier setMaxIter(int value) {
        return set(TrainOptions.EPOCHS, value);
    }

    public DoubleParam stepSize() {
        return (DoubleParam) param(TrainOptions.LR);
    }

    public double getStepSize() {
        return get(TrainOptions.LR);
    }

    public ShardPropClassifier setStepSize(double value) {
        return set(TrainOptions.LR, value);
    }

    public IntParam blockSize() {
        return (IntParam) param(TrainOptions.BLOCK_SIZE);
    }

    public int getBlockSize() {
        return get(TrainOptions.BLOCK_SIZE);
    }

    public ShardPropClassifier setBlockSize(int value) {
        return set(TrainOptions.BLOCK_SIZE, value);
    }

    public LongParam seed() {
        return (LongParam) param(TrainOptions.SEED);
    }

    public long getSeed() {
        return get(TrainOptions.SEED);
    }

    public ShardPropClassifier setSeed(long value) {
        return set(TrainOptions.SEED, value);
    }
}
