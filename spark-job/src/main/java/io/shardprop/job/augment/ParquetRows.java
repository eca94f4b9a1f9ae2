package io.shardprop.job.augment;

import io.shardprop.job.data.FrameSource;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An augmented set as Parquet rows that {@code train --format parquet} reads with its default columns:
 * {@value #ROW} (the row's index {@code n·k + i}, a long, which the reader ignores), {@value FrameSource#LABEL}
 * (an int) and {@value FrameSource#FEATURES} (an array of doubles, {@code pixel / 255} exactly as training computes
 * it from IDX bytes, so the reader needs no scaling). Each part of the {@link PartPlan} is one partition, generated
 * by its task and written by Spark's Parquet writer as one part file.
 */
final class ParquetRows {

    /** The column holding a row's index in the set. */
    static final String ROW = "row";

    static final StructType SCHEMA = new StructType(new StructField[]{
        DataTypes.createStructField(ROW, DataTypes.LongType, false),
        DataTypes.createStructField(FrameSource.LABEL, DataTypes.IntegerType, false),
        DataTypes.createStructField(FrameSource.FEATURES, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
    });

    private ParquetRows() {
    }

    /** Writes the rows into the new folder {@code dir}. */
    static void write(SparkSession spark, Broadcast<Copies> copies, PartPlan plan, String dir) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = sc.parallelize(plan.parts(), plan.parts().size())
                .flatMap(part -> rows(copies.value(), part));
        spark.createDataFrame(rows, SCHEMA).write().parquet(dir);
    }

    /** The rows of one part, generated {@value #BATCH} at a time as they are consumed. */
    private static Iterator<Row> rows(Copies copies, PartPlan.Part part) {
        int p = copies.source().pixelsPerImage();
        return new Iterator<>() {
            final byte[] buf = new byte[BATCH * p];
            int done;
            int filled;

            @Override
            public boolean hasNext() {
                return done < part.rows();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                int at = done % BATCH;
                if (at == 0) {
                    filled = Math.min(BATCH, part.rows() - done);
                    copies.pixels(part.first() + done, filled, buf);
                }
                long row = part.first() + done;
                done++;
                return row(row, copies.label(row), buf, at * p, p);
            }
        };
    }

    private static final int BATCH = 1024;

    /** One row from its bytes: features {@code pixel / 255}. */
    static Row row(long index, byte label, byte[] pixels, int offset, int count) {
        double[] x = new double[count];
        for (int j = 0; j < count; j++) {
            x[j] = (pixels[offset + j] & 0xFF) / 255.0;
        }
        return RowFactory.create(index, label & 0xFF, x);
    }

    /** Every row of a small labelled image set (the test images, unchanged) as a list. */
    static List<Row> rows(byte[] pixels, byte[] labels, int pixelsPerImage) {
        List<Row> rows = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            rows.add(row(i, labels[i], pixels, i * pixelsPerImage, pixelsPerImage));
        }
        return rows;
    }
}
