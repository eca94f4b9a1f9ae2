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
import io.shardprop.job.train.FrameData;
import io.shardprop.job.train.TrainWorkflow;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What {@link ShardPropClassifier} and {@link ShardPropRegressor} share: the columns (features, label, prediction,
 * {@code weightCol} and {@code validationIndicatorCol}, the names Spark's GBTs use), {@code initialWeights}, one
 * Param per {@link TrainOptions training option} (derived from its declaration) and the fit itself, through
 * {@code train}'s own workflow ({@link TrainWorkflow#fit}).
 *
 * <p>{@code weightCol}: a numeric column of row weights (finite, ≥ 0), each row's loss and gradient scaled by its
 * weight; a row of weight 2 trains as that row twice. {@code validationIndicatorCol}: a boolean column whose true
 * rows are held out as the validation set, evaluated after every epoch (the summary's {@code val_*} figures) and
 * watched by {@code earlyStoppingPatience}.
 *
 * @param <M> the model
 * @param <E> the estimator itself (its setters return it)
 */
public abstract class ShardPropEstimator<M extends Model<M>, E extends ShardPropEstimator<M, E>> extends Estimator<M>
        implements DefaultParamsWritable {

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> weightCol;
    private final Param<String> validationIndicatorCol;
    private final Param<Vector> initialWeights;
    private final Map<TrainOption<?>, Param<?>> training = new LinkedHashMap<>();

    /** With the given uid; {@code labelDoc} says what the labels are. */
    protected ShardPropEstimator(String uid, String labelDoc) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "features column: vectors of one width");
        labelCol = new Param<>(this, "labelCol", labelDoc);
        predictionCol = new Param<>(this, "predictionCol", "prediction column of the fitted model");
        weightCol = new Param<>(this, "weightCol", "row weights column (finite, >= 0); unset or empty: weight 1");
        validationIndicatorCol = new Param<>(this, "validationIndicatorCol", "boolean column: true rows are the "
                + "validation set (evaluated every epoch, watched by early stopping); unset or empty: none");
        initialWeights = new Param<>(this, "initialWeights", "initial weights: the flat parameter vector "
                + "[W1 | W2 | b2 | ...] of the layout, row-major");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(weightCol, "");
        setDefault(validationIndicatorCol, "");
        for (TrainOption<?> o : TrainOptions.ALL) {
            if (o.param() != null) {
                Param<?> p = OptionParams.of(this, o);
                training.put(o, p);
                defaultTo(p, OptionParams.toParam(o, o.fitDefault()));
            }
        }
    }

    /** This estimator (for the setters' return). */
    @SuppressWarnings("unchecked")
    private E self() {
        return (E) this;
    }

    @SuppressWarnings("unchecked")
    private <T> void defaultTo(Param<T> p, Object value) {
        setDefault(p, (T) value);
    }

    /** Makes {@code option}'s default {@code value} for this estimator (the regressor's loss: squared). */
    protected <T> void defaultOption(TrainOption<T> option, T value) {
        defaultTo(param(option), OptionParams.toParam(option, value));
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The Params of the subclass, listed after the shared columns. */
    protected abstract List<Param<?>> ownParams();

    /** The column Params, the subclass's, {@code initialWeights}, and one Param a training option. */
    @Override
    public Param<?>[] params() {
        List<Param<?>> all = new ArrayList<>(List.of(featuresCol, labelCol, predictionCol, weightCol,
                validationIndicatorCol));
        all.addAll(ownParams());
        all.add(initialWeights);
        all.addAll(training.values());
        return all.toArray(new Param<?>[0]);
    }

    @Override
    public E copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** The Param of a training option ({@code weightDecay} of {@link TrainOptions#WEIGHT_DECAY}). */
    public Param<?> param(TrainOption<?> option) {
        Param<?> p = training.get(option);
        if (p == null) {
            throw new IllegalArgumentException(name() + " has no Param for " + option.flag());
        }
        return p;
    }

    /** Sets a training option's Param: {@code set(TrainOptions.WEIGHT_DECAY, 1e-4)}. */
    @SuppressWarnings("unchecked")
    public <T> E set(TrainOption<T> option, T value) {
        set((Param<Object>) param(option), OptionParams.toParam(option, value));
        return self();
    }

    /** A training option's value: set, or this estimator's default. */
    public <T> T get(TrainOption<T> option) {
        return OptionParams.fromParam(option, getOrDefault(param(option)));
    }

    /** The class's name, to start messages. */
    protected String name() {
        return getClass().getSimpleName();
    }

    /**
     * Checks {@code featuresCol} (a vector column), {@code labelCol} (numbers, when present) and the weight and
     * validation columns when present.
     */
    protected void checkColumns(StructType schema) {
        checkColumns(schema, false);
    }

    /**
     * As {@link #checkColumns(StructType)}; with {@code severalTargets}, {@code labelCol} may also be a vector or an
     * array of numbers (a regression of several outputs).
     */
    protected void checkColumns(StructType schema, boolean severalTargets) {
        List<String> names = Arrays.asList(schema.fieldNames());
        String f = getFeaturesCol();
        if (!names.contains(f)) {
            throw new IllegalArgumentException(name() + ": no column '" + f + "' (columns: " + String.join(", ", names)
                    + ")");
        }
        if (!(schema.apply(f).dataType() instanceof VectorUDT)) {
            throw new IllegalArgumentException(name() + ": column '" + f + "' is "
                    + schema.apply(f).dataType().simpleString() + ", expected a vector (VectorAssembler makes one)");
        }
        String l = getLabelCol();
        if (names.contains(l) && !(schema.apply(l).dataType() instanceof NumericType)
                && !(severalTargets && severalTargets(schema.apply(l).dataType()))) {
            throw new IllegalArgumentException(name() + ": column '" + l + "' is "
                    + schema.apply(l).dataType().simpleString() + ", expected numbers"
                    + (severalTargets ? " (or vectors or arrays of numbers: several targets a row)" : ""));
        }
        String w = getWeightCol();
        if (!w.isEmpty() && names.contains(w) && !(schema.apply(w).dataType() instanceof NumericType)) {
            throw new IllegalArgumentException(name() + ": weightCol '" + w + "' is "
                    + schema.apply(w).dataType().simpleString() + ", expected numbers");
        }
    }

    /** Whether a label column of {@code type} holds several targets a row: a vector, or an array of numbers. */
    static boolean severalTargets(DataType type) {
        return type instanceof VectorUDT || type instanceof ArrayType a && a.elementType() instanceof NumericType;
    }

    /**
     * Trains on {@code dataset} through the run workflow: the rows checked (features, labels, weights), the
     * validation rows split off by {@code validationIndicatorCol}, the blocks cached and trained.
     *
     * @param classes    the class count the labels must be below, or 0 to find it (a regression: 0)
     * @param width      the features' width, or 0 to take it from the rows
     * @param wrongWidth with a width: the message for rows of another width
     * @param regression whether the labels are real targets
     * @param options    this estimator's training options, possibly adjusted by the subclass
     */
    protected TrainWorkflow.Fitted fitted(Dataset<?> dataset, int classes, int width, IntFunction<String> wrongWidth,
                                          boolean regression, OptionValues options) {
        StructType schema = dataset.schema();  // checkColumns has run: fit calls transformSchema first
        List<String> names = Arrays.asList(schema.fieldNames());
        String l = getLabelCol();
        if (!names.contains(l)) {
            throw new IllegalArgumentException(name() + ": no label column '" + l + "' (columns: "
                    + String.join(", ", names) + ")");
        }
        String w = getWeightCol().isEmpty() ? null : getWeightCol();
        if (w != null && !names.contains(w)) {
            throw new IllegalArgumentException(name() + ": no weightCol '" + w + "' (columns: " + String.join(", ", names)
                    + ")");
        }
        String v = getValidationIndicatorCol();
        Dataset<Row> df = dataset.toDF();
        Dataset<Row> train = df;
        Dataset<Row> validation = null;
        if (!v.isEmpty()) {
            if (!names.contains(v) || !(schema.apply(v).dataType() instanceof BooleanType)) {
                throw new IllegalArgumentException(name() + ": validationIndicatorCol '" + v + "' must be a boolean "
                        + "column (columns: " + String.join(", ", names) + ")");
            }
            train = df.filter(functions.not(functions.coalesce(functions.col(v), functions.lit(false))));
            validation = df.filter(functions.coalesce(functions.col(v), functions.lit(false)));
        }
        if (options.get(TrainOptions.EARLY_STOPPING_PATIENCE) > 0 && validation == null) {
            throw new IllegalArgumentException(name() + ": earlyStoppingPatience needs validationIndicatorCol (the "
                    + "validation rows)");
        }
        Dataset<Row> trainRows = train;
        Dataset<Row> validationRows = validation;
        String f = getFeaturesCol();
        FrameData data = new FrameData(spark -> new FrameData.Frames(trainRows, name(), null, null, validationRows,
                validationRows == null ? null : name() + " (rows where '" + v + "' is true)"),
                new FrameData.Columns(f, l, classes, width, wrongWidth).with(w, regression), "as given in '" + f + "'");
        try {
            TrainConfig cfg = TrainConfig.of(options);
            data.standardizingTargets(cfg.standardizesTargets());
            return new TrainWorkflow(cfg, data, null).fit(df.sparkSession(), this::startingWeights,
                    "spark (" + name() + ".fit)");
        } catch (OptionException e) {
            throw new IllegalArgumentException(name() + ": " + e.message(Vocabulary.PARAMS), e);
        } catch (MalformedFileException | UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(name() + ".fit: " + Failure.of(e).message(), e);
        }
    }

    /** The training options these Params give. */
    protected OptionValues options() {
        return OptionValues.from(o -> training.containsKey(o) ? get(o) : o.defaultValue());
    }

    private double[] startingWeights(Layout layout) {
        if (!isSet(initialWeights)) {
            return get(TrainOptions.INIT).draw(layout, get(TrainOptions.SEED));
        }
        double[] w = getInitialWeights().toArray().clone();  // a dense vector's own array: training must not move it
        if (w.length != layout.paramCount()) {
            throw new IllegalArgumentException(name() + ": initialWeights has " + w.length + " values, layout "
                    + layout.describe() + " needs " + layout.paramCount());
        }
        return w;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public E setFeaturesCol(String value) {
        set(featuresCol, value);
        return self();
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public E setLabelCol(String value) {
        set(labelCol, value);
        return self();
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public E setPredictionCol(String value) {
        set(predictionCol, value);
        return self();
    }

    public Param<String> weightCol() {
        return weightCol;
    }

    public String getWeightCol() {
        return getOrDefault(weightCol);
    }

    public E setWeightCol(String value) {
        set(weightCol, value);
        return self();
    }

    public Param<String> validationIndicatorCol() {
        return validationIndicatorCol;
    }

    public String getValidationIndicatorCol() {
        return getOrDefault(validationIndicatorCol);
    }

    public E setValidationIndicatorCol(String value) {
        set(validationIndicatorCol, value);
        return self();
    }

    public Param<Vector> initialWeights() {
        return initialWeights;
    }

    public Vector getInitialWeights() {
        return getOrDefault(initialWeights);
    }

    public E setInitialWeights(Vector value) {
        set(initialWeights, value);
        return self();
    }

    /** MLPC's name for the epochs. */
    public org.apache.spark.ml.param.IntParam maxIter() {
        return (org.apache.spark.ml.param.IntParam) param(TrainOptions.EPOCHS);
    }

    public int getMaxIter() {
        return get(TrainOptions.EPOCHS);
    }

    public E setMaxIter(int value) {
        return set(TrainOptions.EPOCHS, value);
    }

    /** MLPC's name for the learning rate. */
    public org.apache.spark.ml.param.DoubleParam stepSize() {
        return (org.apache.spark.ml.param.DoubleParam) param(TrainOptions.LR);
    }

    public double getStepSize() {
        return get(TrainOptions.LR);
    }

    public E setStepSize(double value) {
        return set(TrainOptions.LR, value);
    }

    public org.apache.spark.ml.param.IntParam blockSize() {
        return (org.apache.spark.ml.param.IntParam) param(TrainOptions.BLOCK_SIZE);
    }

    public int getBlockSize() {
        return get(TrainOptions.BLOCK_SIZE);
    }

    public E setBlockSize(int value) {
        return set(TrainOptions.BLOCK_SIZE, value);
    }

    public org.apache.spark.ml.param.LongParam seed() {
        return (org.apache.spark.ml.param.LongParam) param(TrainOptions.SEED);
    }

    public long getSeed() {
        return get(TrainOptions.SEED);
    }

    public E setSeed(long value) {
        return set(TrainOptions.SEED, value);
    }
}
