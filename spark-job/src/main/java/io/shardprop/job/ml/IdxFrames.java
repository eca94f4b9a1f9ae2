package io.shardprop.job.ml;

import io.shardprop.core.data.Block;
import io.shardprop.core.linalg.Mat;
import io.shardprop.job.data.Blocks;
import io.shardprop.job.data.IdxFile;
import io.shardprop.job.data.IdxInputs;
import io.shardprop.job.data.ImageBlocks;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MNIST IDX files as DataFrames for Spark ML: {@code index} (long, position in the file), {@code features}
 * (a dense vector of the 784 pixels scaled to [0, 1] by {@code /255.0}, the input {@link ShardPropModel}
 * expects) and, with a labels file, {@code label} (double). Rows are in file order; each partition reads its
 * own byte ranges through Hadoop {@code FileSystem}.
 */
public final class IdxFrames {

    private static final int BLOCK_ROWS = 4096;

    private IdxFrames() {
    }

    /**
     * The images of an IDX images file (plain or .gz).
     *
     * @throws IllegalArgumentException if the file is missing or not an MNIST images file
     */
    public static Dataset<Row> images(SparkSession spark, String imagesUri) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        IdxFile images = images(sc, imagesUri);
        JavaRDD<Row> rows = ImageBlocks.load(sc, images, BLOCK_ROWS, sc.defaultParallelism(), "images frame")
                .flatMap(b -> rows(b.first(), b.x(), null).iterator());
        return spark.createDataFrame(rows, schema(false));
    }

    /**
     * The images with their labels.
     *
     * @throws IllegalArgumentException if a file is missing or malformed, or the counts differ
     */
    public static Dataset<Row> labeled(SparkSession spark, String imagesUri, String labelsUri) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        IdxFile images = images(sc, imagesUri);
        IdxFile labels;
        try {
            labels = IdxInputs.labels(fs(sc), "labels", labelsUri, images);
        } catch (UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        // Blocks.load marks its RDD for caching (training reuses it); a DataFrame source is read once per action.
        JavaRDD<Block> blocks = Blocks.load(sc, images, labels, BLOCK_ROWS, sc.defaultParallelism(), "labeled frame")
                .unpersist(false);
        JavaRDD<Row> rows = blocks.flatMap(b -> rows(b.first(), b.data().x64(), b.data().labels()).iterator());
        return spark.createDataFrame(rows, schema(true));
    }

    private static IdxFile images(JavaSparkContext sc, String uri) {
        try {
            return IdxInputs.images(fs(sc), "images", uri);
        } catch (UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static HadoopFs fs(JavaSparkContext sc) {
        return new HadoopFs(sc.hadoopConfiguration());
    }

    private static StructType schema(boolean labeled) {
        StructType s = new StructType()
                .add("index", DataTypes.LongType, false)
                .add("features", SQLDataTypes.VectorType(), false);
        return labeled ? s.add("label", DataTypes.DoubleType, false) : s;
    }

    /** Rows of {@code x [n x (pixels + 1)]} without its ones column. */
    private static List<Row> rows(int first, Mat x, int[] labels) {
        List<Row> out = new ArrayList<>(x.rows());
        int pixels = x.cols() - 1;
        for (int i = 0; i < x.rows(); i++) {
            int from = x.offset() + i * x.cols();
            var features = Vectors.dense(Arrays.copyOfRange(x.data(), from, from + pixels));
            out.add(labels == null ? RowFactory.create((long) first + i, features)
                    : RowFactory.create((long) first + i, features, (double) labels[i]));
        }
        return out;
    }
}
