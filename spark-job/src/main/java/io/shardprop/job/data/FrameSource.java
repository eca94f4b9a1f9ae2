package io.shardprop.job.data;

import io.shardprop.core.data.MalformedFileException;
import io.shardprop.job.config.DataFormat;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A LibSVM, Parquet or CSV file as a DataFrame of {@value #FEATURES} (a vector) and {@value #LABEL} (double),
 * for {@code train --format}: the features are one vector column, one numeric-array column, or numeric columns
 * (assembled in the order given); anything else is bad input naming the file and the column, and for a
 * non-numeric CSV cell the row too. The rows themselves (finite values, labels) are checked by
 * {@link FrameBlocks#scan}.
 */
public final class FrameSource {

    public static final String FEATURES = "features";
    public static final String LABEL = "label";
    /** The weight column of the rows {@link #features} selects, when there is one. */
    public static final String WEIGHT = "weight";

    private FrameSource() {
    }

    /** The file's rows, read with Spark's reader for {@code format} (CSV: with a header, numbers inferred). */
    public static Dataset<Row> read(SparkSession spark, DataFormat format, String uri) {
        return read(spark, format, uri, 0);
    }

    /**
     * As {@link #read(SparkSession, DataFormat, String)}, a LibSVM file with {@code numFeatures} features a row
     * (Spark's option; 0: its largest index, found in one pass).
     */
    public static Dataset<Row> read(SparkSession spark, DataFormat format, String uri, int numFeatures) {
        return switch (format) {
            case LIBSVM -> numFeatures > 0
                    ? spark.read().format("libsvm").option("numFeatures", numFeatures).load(uri)
                    : spark.read().format("libsvm").load(uri);
            case PARQUET -> spark.read().parquet(uri);
            case CSV -> spark.read().option("header", "true").option("inferSchema", "true").csv(uri);
            case IDX -> throw new IllegalArgumentException("IDX files are read as blocks, not as a DataFrame");
        };
    }

    /** The width Spark's LibSVM reader gave {@code df}'s {@value #FEATURES} (its ML attribute group), or 0 if none. */
    public static int libsvmWidth(Dataset<Row> df) {
        return Math.max(0, AttributeGroup.fromStructField(df.schema().apply(FEATURES)).size());
    }

    /**
     * {@code df} as {@value #FEATURES}, {@value #LABEL}.
     *
     * @param featureCols the features: one vector or array column, or numeric columns; empty for
     *                    {@value #FEATURES} when there is such a column, else every column but the label
     * @param source      the file, which starts every message
     * @throws MalformedFileException naming the file, the column (and row) and the problem
     */
    public static Dataset<Row> features(Dataset<Row> df, List<String> featureCols, String label, String source) {
        return features(df, featureCols, label, null, source);
    }

    /**
     * As {@link #features(Dataset, List, String, String)}, with the numeric column {@code weight} (null: none) as
     * {@value #WEIGHT}, a double; it is not a feature.
     */
    public static Dataset<Row> features(Dataset<Row> df, List<String> featureCols, String label, String weight,
                                        String source) {
        StructType schema = df.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        if (!names.contains(label)) {
            throw new MalformedFileException(source, "no label column '" + label + "' (columns: "
                    + String.join(", ", names) + ")");
        }
        Column y = label(df, label, source).alias(LABEL);
        if (weight != null) {
            if (!names.contains(weight)) {
                throw new MalformedFileException(source, "no weight column '" + weight + "' (columns: "
                        + String.join(", ", names) + ")");
            }
            requireNumeric(df, weight, source);
        }
        List<String> cols = new ArrayList<>(featureCols);
        if (cols.isEmpty()) {
            if (names.contains(FEATURES)) {
                cols.add(FEATURES);
            } else {
                names.stream().filter(n -> !n.equals(label) && !n.equals(weight)).forEach(cols::add);
            }
        }
        for (String c : cols) {
            if (!names.contains(c)) {
                throw new MalformedFileException(source, "no column '" + c + "' (columns: " + String.join(", ", names) + ")");
            }
        }
        Column[] w = weight == null ? new Column[0] : new Column[]{functions.col(weight).cast("double").alias(WEIGHT)};
        if (cols.size() == 1) {
            DataType t = schema.apply(cols.get(0)).dataType();
            if (t instanceof VectorUDT) {
                return df.select(concat(functions.col(cols.get(0)).alias(FEATURES), y, w));
            }
            if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
                return df.select(concat(org.apache.spark.ml.functions.array_to_vector(
                        functions.col(cols.get(0)).cast("array<double>")).alias(FEATURES), y, w));
            }
        }
        for (String c : cols) {
            requireNumeric(df, c, source);
        }
        List<Column> selected = new ArrayList<>();
        cols.forEach(c -> selected.add(functions.col(c).cast("double").alias(c)));
        selected.add(label(df, label, source).alias("__label"));
        if (weight != null) {
            selected.add(functions.col(weight).cast("double").alias("__weight"));
        }
        Dataset<Row> numbers = df.select(selected.toArray(Column[]::new));
        // "keep": an empty cell becomes NaN, which the scan reports with its row; names of the slots are the columns
        Dataset<Row> assembled = new VectorAssembler().setInputCols(cols.toArray(String[]::new))
                .setOutputCol(FEATURES).setHandleInvalid("keep").transform(numbers);
        return assembled.select(concat(functions.col(FEATURES), functions.col("__label").alias(LABEL),
                weight == null ? new Column[0] : new Column[]{functions.col("__weight").alias(WEIGHT)}));
    }

    private static Column[] concat(Column features, Column label, Column[] more) {
        Column[] all = new Column[2 + more.length];
        all[0] = features;
        all[1] = label;
        System.arraycopy(more, 0, all, 2, more.length);
        return all;
    }

    /**
     * As {@link #features}, for rows that may have no label (what {@code predict} reads): a label column is
     * ignored and {@value #LABEL} is 0.
     */
    public static Dataset<Row> unlabeled(Dataset<Row> df, List<String> featureCols, String label, String source) {
        Dataset<Row> d = Arrays.asList(df.schema().fieldNames()).contains(label) ? df.drop(label) : df;
        return features(d.withColumn(label, functions.lit(0.0)), featureCols, label, source);
    }

    /**
     * The label column as a double, or, when it holds several targets a row (a regression's), as a vector: a vector
     * column as it is, an array of numbers through {@code array_to_vector}.
     */
    private static Column label(Dataset<Row> df, String label, String source) {
        DataType t = df.schema().apply(label).dataType();
        if (t instanceof VectorUDT) {
            return functions.col(label);
        }
        if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
            return org.apache.spark.ml.functions.array_to_vector(functions.col(label).cast("array<double>"));
        }
        requireNumeric(df, label, source);
        return functions.col(label).cast("double");
    }

    private static void requireNumeric(Dataset<Row> df, String col, String source) {
        DataType t = df.schema().apply(col).dataType();
        if (t instanceof NumericType) {
            return;
        }
        String where = "";
        if (t.typeName().equals("string")) {
            List<Row> bad = df.select(functions.col(col)).javaRDD().zipWithIndex()
                    .filter(r -> !r._1.isNullAt(0) && !isNumber(r._1.getString(0))).take(1)
                    .stream().map(t2 -> org.apache.spark.sql.RowFactory.create(t2._2, t2._1.getString(0))).toList();
            if (!bad.isEmpty()) {
                where = ": row " + bad.get(0).getLong(0) + " is '" + bad.get(0).getString(1) + "'";
            }
        }
        throw new MalformedFileException(source, "column '" + col + "' is " + t.simpleString() + ", not numeric" + where);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
