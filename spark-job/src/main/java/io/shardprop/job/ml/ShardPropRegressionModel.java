package io.shardprop.job.ml;

import java.io.IOException;
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
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;


/**
 * A trained ShardProp regression MLP as a Spark ML {@link Model}, fitted by {@link ShardPropRegressor} or loaded from
 * a {@code train --task regression} run: {@link #transform} adds a {@code prediction} column (double; a vector with
 * several outputs) in the targets' own units, scored in blocks as {@link ShardPropModel} scores. Persistence is
 * {@link ShardPropModel}'s: Spark's params metadata plus {@code path/model/} as {@code train} writes it.
 */
public final class ShardPropRegressionModel extends Model<ShardPropRegressionModel> implements MLWritable {

    private final String uid;
    private final SavedModel saved;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private transient ShardPropSummary summary;

    /** A model with the given uid (used when loading) over a loaded model folder. */
    public ShardPropRegressionModel(String uid, SavedModel saved) {
        if (saved != null && !saved.model().loss().regression()) {
            throw new IllegalArgumentException("ShardPropRegressionModel: " + saved.describe() + " is a classification "
                    + "model: load it as ShardPropModel");
        }
        this.uid = uid;
        this.saved = saved;
        featuresCol = new Param<>(this, "featuresCol", "input column: vectors of inputs - 1 values, as in training");
        predictionCol = new Param<>(this, "predictionCol", "output column: the predicted value, a double");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
    }

    /** A model with a new uid over a loaded model folder. */
    public ShardPropRegressionModel(SavedModel saved) {
        this(Identifiable.randomUID("shardpropr"), saved);
    }

    /**
     * A model without weights, with a new uid: what Java's {@code ServiceLoader} needs of every class listed in
     * {@code META-INF/services/org.apache.spark.ml.Transformer} (Spark Connect's registry of operators). Only a loaded
     * or fitted model can transform, save or export; this one says so.
     */
    public ShardPropRegressionModel() {
        this(Identifiable.randomUID("shardpropr"), null);
    }

    /** Loads a model written by {@code train --task regression} (a run folder or its {@code model/} folder). */
    public static ShardPropRegressionModel fromDir(String path) {
        return new ShardPropRegressionModel(FittedModels.load(path));
    }

    public static MLReader<ShardPropRegressionModel> read() {
        return new ShardPropModelReader<>(ShardPropRegressionModel.class, ShardPropRegressionModel::new);
    }

    public static ShardPropRegressionModel load(String path) {
        return read().load(path);
    }

    @Override
    public MLWriter write() {
        return new ShardPropModelWriter(this, weights());
    }


    /**
     * Writes this model as an ONNX file at {@code path} (a Hadoop URI), float32: input {@code features [N x inputs]},
     * output {@code prediction [N x outputs]} (as {@code shardprop export}; see docs/export.md).
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

    @Override
    public Param<?>[] params() {
        return new Param<?>[]{featuresCol, predictionCol};
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public ShardPropRegressionModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public ShardPropRegressionModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    /** Whether this model came from {@link ShardPropRegressor#fit} in this session. */
    public boolean hasSummary() {
        return summary != null;
    }

    /** What {@code fit} measured per epoch. */
    public ShardPropSummary summary() {
        if (summary == null) {
            throw new IllegalStateException("ShardPropRegressionModel: no training summary (the model was loaded)");
        }
        return summary;
    }

    ShardPropRegressionModel withSummary(ShardPropSummary s) {
        this.summary = s;
        return this;
    }

    /** The input schema plus {@code predictionCol}: a double, or a vector for a model of several outputs. */
    @Override
    public StructType transformSchema(StructType schema) {
        return withPrediction(schema, saved != null && saved.layout().classes() > 1);
    }

    /** The input schema plus {@code predictionCol}: a vector when {@code several} outputs, else a double. */
    StructType withPrediction(StructType schema, boolean several) {
        FittedModels.checkColumns("ShardPropRegressionModel", schema, getFeaturesCol(), getPredictionCol());
        return schema.add(new StructField(getPredictionCol(), several ? SQLDataTypes.VectorType() : DataTypes.DoubleType,
                false, Metadata.empty()));
    }

    /** Predicts every row; rows keep their order within each partition. */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        return FittedModels.score(dataset, transformSchema(dataset.schema(), true), getFeaturesCol(), weights());
    }

    @Override
    public ShardPropRegressionModel copy(ParamMap extra) {
        ShardPropRegressionModel that = copyValues(new ShardPropRegressionModel(uid, saved), extra);
        that.summary = summary;
        return that.setParent(parent());
    }

    /** The weights, or an IllegalStateException naming this model when it has none (the no-argument constructor's). */
    private SavedModel weights() {
        if (saved == null) {
            throw new IllegalStateException("ShardPropRegressionModel " + uid + " has no weights: fit one or load one (load(path), fromDir)");
        }
        return saved;
    }

    @Override
    public String toString() {
        return "ShardPropRegressionModel: uid=" + uid + ", " + (saved == null ? "no weights" : saved.describe());
    }
}
