package io.shardprop.job.ml;

import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.OnnxModels;
import java.io.IOException;
import io.shardprop.job.model.SavedModel;
import io.shardprop.job.model.Scorer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

/** What {@link ShardPropModel} and {@link ShardPropRegressionModel} do alike: load, check the columns, score. */
final class FittedModels {

    private FittedModels() {
    }

    /** The model folder at {@code path} (a run folder or its {@code model/}), through the active session's Hadoop conf. */
    static SavedModel load(String path) {
        return ShardPropModel.loadSaved(fs(), path);
    }

    /**
     * {@code path} as the file systems see it: a local path under Spark ML's local saving mode
     * ({@code MLWriter.saveToLocal}/{@code MLReader.loadFromLocal}, which Spark Connect's model cache uses to keep
     * models on the server's own disk), else as given (the default file system's, e.g. HDFS on a cluster).
     */
    static String storagePath(String path) {
        boolean local = Boolean.TRUE.equals(org.apache.spark.ml.util.ReadWriteUtils.localSavingModeState().get());
        return local && new org.apache.hadoop.fs.Path(path).toUri().getScheme() == null
                ? new java.io.File(path).getAbsoluteFile().toURI().toString() : path;
    }

    /** The active session's Hadoop file systems, or the default configuration's without one. */
    private static HadoopFs fs() {
        return SparkSession.getActiveSession().isDefined()
                ? new HadoopFs(SparkSession.getActiveSession().get().sparkContext().hadoopConfiguration())
                : HadoopFs.beforeSpark();
    }

    /**
     * Writes {@code saved} as an ONNX file at {@code path} ({@link OnnxModels}; {@code precision} float32 or float64).
     *
     * @throws IOException when {@code path} exists or cannot be written
     */
    static void exportOnnx(SavedModel saved, String path, String precision) throws IOException {
        io.shardprop.core.linalg.Precision p;
        try {
            p = io.shardprop.core.linalg.Precision.valueOf(precision.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("exportOnnx: precision must be float32 or float64, got '" + precision + "'");
        }
        HadoopFs fs = fs();
        String target = fs.qualify(path);
        if (fs.exists(target)) {
            throw new IOException("exportOnnx: " + target + " already exists");
        }
        OnnxModels.write(fs, target, OnnxModels.export(saved, p, false));
    }

    /**
     * Checks that {@code schema} has the vector column {@code features} and none of {@code outputs}.
     *
     * @param model the model's class name, to start messages
     */
    static void checkColumns(String model, StructType schema, String features, String... outputs) {
        if (!Arrays.asList(schema.fieldNames()).contains(features)) {
            throw new IllegalArgumentException(model + ": input has no column '" + features + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        if (!(schema.apply(features).dataType() instanceof VectorUDT)) {
            throw new IllegalArgumentException(model + ": column '" + features + "' is "
                    + schema.apply(features).dataType().simpleString() + ", expected a vector");
        }
        for (String out : outputs) {
            if (Arrays.asList(schema.fieldNames()).contains(out)) {
                throw new IllegalArgumentException(model + ": output column '" + out + "' already exists");
            }
        }
    }

    /**
     * Scores every row of {@code dataset} with {@code saved} ({@link BlockScorer}, one broadcast of the weights) into
     * rows of {@code out}; rows keep their order within each partition.
     */
    static Dataset<Row> score(Dataset<?> dataset, StructType out, String features, SavedModel saved) {
        int featuresIndex = dataset.schema().fieldIndex(features);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Broadcast<Scorer> scorer = sc.broadcast(saved.scorer());
        MapPartitionsFunction<Row, Row> score = rows ->
                new BlockScorer(rows, scorer.value().copy(), featuresIndex, features);
        return dataset.toDF().mapPartitions(score, Encoders.row(out));
    }
}
