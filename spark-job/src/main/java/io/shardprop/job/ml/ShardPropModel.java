package io.shardprop.job.ml;

import java.io.IOException;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.SavedModel;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;


/**
 * A trained ShardProp MLP as a Spark ML {@link Model}, fitted by {@link ShardPropClassifier} or loaded from a
 * {@code train} run, so it fits into {@code Pipeline}s: {@link #transform} adds a {@code rawPrediction}
 * column (the {@code k} class log-probabilities), a {@code prediction} column (double: the predicted label,
 * the first maximum of the log-probabilities) and a {@code probability} column (an {@code ml.linalg} dense
 * vector of the class probabilities) to a DataFrame whose {@code features} column holds vectors of
 * {@code inputs − 1} values, scaled as in training (MNIST from {@code train}: 784 pixels as
 * {@code pixel / 255.0}); the model appends the constant 1 that carries the bias. Any input width and class
 * count. Column names are params ({@code featuresCol}, {@code rawPredictionCol}, {@code predictionCol},
 * {@code probabilityCol}).
 *
 * <p>Each partition is scored in blocks of {@value BlockScorer#BLOCK_ROWS} rows, one matrix product per
 * layer; the weights travel to the executors as one broadcast per {@code transform} call.
 *
 * <p>Persistence ({@link MLWritable}, and the static {@link #read()}/{@link #load(String)} that Spark ML
 * finds by reflection, e.g. inside a saved {@code PipelineModel}): {@code path/metadata} is Spark's own
 * params metadata (uid, column names) and {@code path/model/} holds {@code model.json} and the {@code .npy}
 * weights exactly as {@code train} writes them, so {@code --model path} and numpy read it too.
 */
public final class ShardPropModel extends Model<ShardPropModel> implements MLWritable {

    private final String uid;
    private final SavedModel saved;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private transient ShardPropSummary summary;

    /** A model with the given uid (used when loading) over a loaded model folder. */
    public ShardPropModel(String uid, SavedModel saved) {
        if (saved != null && saved.model().loss().regression()) {
            throw new IllegalArgumentException("ShardPropModel: " + saved.describe() + " is a regression model: load it "
                    + "as ShardPropRegressionModel");
        }
        this.uid = uid;
        this.saved = saved;
        featuresCol = new Param<>(this, "featuresCol", "input column: vectors of inputs - 1 values, as in training");
        predictionCol = new Param<>(this, "predictionCol", "output column: the predicted label, as a double");
        probabilityCol = new Param<>(this, "probabilityCol", "output column: the class probabilities, a vector");
        rawPredictionCol = new Param<>(this, "rawPredictionCol",
                "output column: the class log-probabilities, a vector (larger is more likely)");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
    }

    /** A model with a new uid over a loaded model folder. */
    public ShardPropModel(SavedModel saved) {
        this(Identifiable.randomUID("shardprop"), saved);
    }

    /**
     * A model without weights, with a new uid: what Java's {@code ServiceLoader} needs of every class listed in
     * {@code META-INF/services/org.apache.spark.ml.Transformer} (Spark Connect's registry of operators). Only a loaded
     * or fitted model can transform, save or export; this one says so.
     */
    public ShardPropModel() {
        this(Identifiable.randomUID("shardprop"), null);
    }

    /**
     * Loads a model written by {@code train}: {@code path} is a run folder or its {@code model/} folder
     * (a Hadoop URI; the active session's Hadoop configuration is used when there is one).
     *
     * @throws IllegalArgumentException naming the file and the problem when the model cannot be used
     */
    public static ShardPropModel fromDir(String path) {
        return new ShardPropModel(FittedModels.load(path));
    }

    static SavedModel loadSaved(HadoopFs fs, String path) {
        try {
            return SavedModel.load(fs, path);
        } catch (UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The reader that {@code PipelineModel.load} and {@link #load(String)} use. */
    public static MLReader<ShardPropModel> read() {
        return new ShardPropModelReader<>(ShardPropModel.class, ShardPropModel::new);
    }

    /** Loads a model saved with {@link #save(String)} (a shortcut of {@code read().load(path)}). */
    public static ShardPropModel load(String path) {
        return read().load(path);
    }

    @Override
    public MLWriter write() {
        return new ShardPropModelWriter(this, weights());
    }


    /**
     * Writes this model as an ONNX file at {@code path} (a Hadoop URI), float32: input {@code features [N x inputs]},
     * outputs {@code probabilities} and {@code label} (int64) (as {@code shardprop export}; see docs/export.md).
     *
     * @throws IOException when {@code path} exists or cannot be written
     */
    public void exportOnnx(String path) throws IOException {
        exportOnnx(path, "float32");
    }

    /** As {@link #exportOnnx(String)} in {@code precision}: {@code float32} or {@code float64}. */
    public void exportOnnx(String path, String precision) throws IOException {
        FittedModels.exportOnnx(weights(), path, precision);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The model folder's content: architecture, loss, weights and {@code model.json}. */
    public SavedModel savedModel() {
        return saved;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    public String getRawPredictionCol() {
        return getOrDefault(rawPredictionCol);
    }

    public ShardPropModel setRawPredictionCol(String value) {
        set(rawPredictionCol, value);
        return this;
    }

    /** Whether this model came from {@link ShardPropClassifier#fit} in this session (a loaded one has none). */
    public boolean hasSummary() {
        return summary != null;
    }

    /**
     * What {@code fit} measured per epoch, as MLPC's {@code summary()}.
     *
     * @throws IllegalStateException if the model has no summary ({@link #hasSummary})
     */
    public ShardPropSummary summary() {
        if (summary == null) {
            throw new IllegalStateException("ShardPropModel: no training summary (the model was loaded, not fitted)");
        }
        return summary;
    }

    ShardPropModel withSummary(ShardPropSummary s) {
        this.summary = s;
        return this;
    }

    public ShardPropModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public ShardPropModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public ShardPropModel setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    /**
     * The input schema plus {@code rawPredictionCol} (vector), {@code predictionCol} (double) and
     * {@code probabilityCol} (vector).
     *
     * @throws IllegalArgumentException if {@code featuresCol} is missing or not a vector column, or an
     *                                  output column exists already
     */
    @Override
    public StructType transformSchema(StructType schema) {
        FittedModels.checkColumns("ShardPropModel", schema, getFeaturesCol(), getRawPredictionCol(), getPredictionCol(),
                getProbabilityCol());
        return schema.add(new StructField(getRawPredictionCol(), SQLDataTypes.VectorType(), false,
                        org.apache.spark.sql.types.Metadata.empty()))
                .add(new StructField(getPredictionCol(), DataTypes.DoubleType, false,
                        org.apache.spark.sql.types.Metadata.empty()))
                .add(new StructField(getProbabilityCol(), SQLDataTypes.VectorType(), false,
                        org.apache.spark.sql.types.Metadata.empty()));
    }

    /** Scores every row; rows keep their order within each partition. */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        return FittedModels.score(dataset, transformSchema(dataset.schema(), true), getFeaturesCol(), weights());
    }

    @Override
    public ShardPropModel copy(ParamMap extra) {
        ShardPropModel that = copyValues(new ShardPropModel(uid, saved), extra);
        that.summary = summary;
        return that.setParent(parent());
    }

    /** The weights, or an IllegalStateException naming this model when it has none (the no-argument constructor's). */
    private SavedModel weights() {
        if (saved == null) {
            throw new IllegalStateException("ShardPropModel " + uid + " has no weights: fit one or load one (load(path), fromDir)");
        }
        return saved;
    }

    @Override
    public String toString() {
        return "ShardPropModel: uid=" + uid + ", " + (saved == null ? "no weights" : saved.describe());
    }
}
