package io.shardprop.job.predict;

import io.shardprop.job.data.ImageBlock;
import io.shardprop.job.model.Scorer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * {@code predict}'s table: one row per input image, in input order, with columns {@code index} (long, the
 * image's position in the file, from 0), {@code prediction} (int, the predicted label) and {@code p0 …
 * p<k−1>} (double, the class probabilities), written with Spark's CSV or Parquet writer.
 */
public final class Predictions {

    /** The output format, chosen by the extension of {@code --out}. */
    public enum Format {
        CSV, PARQUET;

        /** @return the format for a path ending in {@code .csv} or {@code .parquet} (any case), else null */
        public static Format of(String path) {
            String p = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
            return p.endsWith(".csv") ? CSV : p.endsWith(".parquet") ? PARQUET : null;
        }
    }

    private Predictions() {
    }

    /** {@code index, prediction, p0, …, p<classes−1>}. */
    public static StructType schema(int classes) {
        return schema(classes, false);
    }

    /**
     * {@code index, prediction, p0, …, p<classes−1>}, or for a regression {@code index, prediction} (a double; with
     * several outputs {@code prediction0, …}).
     */
    public static StructType schema(int classes, boolean regression) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("index", DataTypes.LongType, false));
        if (regression) {
            for (int j = 0; j < classes; j++) {
                fields.add(DataTypes.createStructField(classes == 1 ? "prediction" : "prediction" + j,
                        DataTypes.DoubleType, false));
            }
            return DataTypes.createStructType(fields);
        }
        fields.add(DataTypes.createStructField("prediction", DataTypes.IntegerType, false));
        for (int j = 0; j < classes; j++) {
            fields.add(DataTypes.createStructField("p" + j, DataTypes.DoubleType, false));
        }
        return DataTypes.createStructType(fields);
    }

    /** The rows of every block, scored on the executors; partition order is block order. */
    public static JavaRDD<Row> rows(JavaRDD<ImageBlock> blocks, Broadcast<Scorer> scorer) {
        return blocks.mapPartitions(it -> score(it, scorer.value().copy()));
    }

    /**
     * Computes and writes the predictions to {@code out}, a folder of Spark part files: one CSV file with a
     * header, or Parquet files in block order. The rows are computed in parallel and cached first, so the
     * single CSV writer task reads them in input order without a shuffle.
     */
    public static long write(SparkSession spark, JavaRDD<Row> rows, int classes, String out, Format format) {
        return write(spark, rows, schema(classes), out, format);
    }

    /** As {@link #write(SparkSession, JavaRDD, int, String, Format)}, the rows of {@code schema}. */
    public static long write(SparkSession spark, JavaRDD<Row> rows, StructType schema, String out, Format format) {
        rows.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long count = rows.count();
            JavaRDD<Row> ordered = format == Format.CSV ? rows.coalesce(1) : rows;
            Dataset<Row> df = spark.createDataFrame(ordered, schema);
            var writer = df.write().mode(SaveMode.Append);  // into the folder predict made (MarkedOutput), empty but _RUNNING
            if (format == Format.CSV) {
                writer.option("header", "true").csv(out);
            } else {
                writer.parquet(out);
            }
            return count;
        } finally {
            rows.unpersist(false);
        }
    }

    private static Iterator<Row> score(Iterator<ImageBlock> blocks, Scorer scorer) {
        List<Row> out = new ArrayList<>();
        while (blocks.hasNext()) {
            ImageBlock b = blocks.next();
            Scorer.Scores s = scorer.score(b.x());
            if (s.values() != null) {
                int k = s.values().cols();
                for (int i = 0; i < b.size(); i++) {
                    Object[] values = new Object[1 + k];
                    values[0] = (long) b.first() + i;
                    for (int j = 0; j < k; j++) {
                        values[1 + j] = s.values().get(i, j);
                    }
                    out.add(RowFactory.create(values));
                }
                continue;
            }
            int k = s.probabilities().cols();
            for (int i = 0; i < b.size(); i++) {
                Object[] values = new Object[2 + k];
                values[0] = (long) b.first() + i;
                values[1] = s.labels()[i];
                for (int j = 0; j < k; j++) {
                    values[2 + j] = s.probabilities().get(i, j);
                }
                out.add(RowFactory.create(values));
            }
        }
        return out.iterator();
    }
}
