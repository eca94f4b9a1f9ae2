package io.shardprop.job.cli;

import io.shardprop.job.config.Task;
import io.shardprop.job.config.DataFormat;
import io.shardprop.job.data.FrameSource;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;

/**
 * {@code --format}, {@code --features-col} and {@code --label-col}: how the data of train, evaluate and predict is
 * stored (MNIST's IDX files, or LibSVM, Parquet or CSV rows) and where a row's features and label are.
 */
final class FrameColumns {

    /** The task when no --format or --task says otherwise. */
    FrameColumns() {
        task = Task.CLASSIFICATION;
    }

    @Option(names = "--format", converter = Choice.OfFormat.class, paramLabel = "FORMAT", defaultValue = "idx",
            description = "idx (IDX files, the default), libsvm, parquet or csv.")
    DataFormat format;

    @Option(names = "--features-col", paramLabel = "NAME[,NAME...]", split = ",",
            description = "With --format libsvm|parquet|csv: the features, a vector or numeric-array column, or "
                    + "numeric columns (default: 'features' if there is one, else every column but the label).")
    List<String> featuresCols;
    @Option(names = "--label-col", paramLabel = "NAME", defaultValue = "label",
            description = "With --format libsvm|parquet|csv: the label column, integers 0..k-1, or real targets with "
                    + "--task regression (a number, or for several outputs a vector or an array of numbers) "
                    + "(default: ${DEFAULT-VALUE}).")
    String labelCol;
    @Option(names = "--weight-col", paramLabel = "NAME",
            description = "With --format libsvm|parquet|csv: a column of row weights (finite, >= 0) that scale each "
                    + "row's loss and gradient (train) or figures (evaluate), not a feature; default: every row weighs 1.")
    String weightCol;
    @Option(names = "--task", paramLabel = "TASK", converter = Choice.OfTask.class, defaultValue = "classification",
            description = "classification (labels are classes) or regression (labels are real targets; --loss "
                    + "squared unless --loss huber) (default: ${DEFAULT-VALUE}).")
    Task task;

    /**
     * The file at {@code uri} as {@code features}, {@code label}. A LibSVM file whose largest index falls short
     * of {@code width} (the training rows' or the model's; 0: no such width) is read at that width: LibSVM
     * leaves zeros out, so a test file need not reach the training file's last feature.
     */
    Dataset<Row> read(SparkSession spark, String uri, int width) {
        Dataset<Row> raw = FrameSource.read(spark, format, uri);
        return FrameSource.features(widened(spark, format, uri, raw, width),
                featuresCols == null ? List.of() : featuresCols, labelCol, weightCol, uri);
    }

    /** The columns of the rows {@link #read} makes, classes or real targets, weighted or not. */
    io.shardprop.job.train.FrameData.Columns roles() {
        return io.shardprop.job.train.FrameData.Columns.TRAIN.with(weightCol == null ? null : FrameSource.WEIGHT,
                task == Task.REGRESSION);
    }

    /** As {@link #read}, with a label of 0 (for predict: no label is needed). */
    Dataset<Row> readUnlabeled(SparkSession spark, String uri, int width) {
        Dataset<Row> raw = FrameSource.read(spark, format, uri);
        Dataset<Row> rows = widened(spark, format, uri, raw, width);
        if (weightCol != null && java.util.Arrays.asList(rows.columns()).contains(weightCol)) {
            rows = rows.drop(weightCol);  // not a feature
        }
        return FrameSource.unlabeled(rows, featuresCols == null ? List.of() : featuresCols, labelCol, uri);
    }

    /** {@code raw} re-read at {@code width} if it is LibSVM rows narrower than that; else {@code raw}. */
    private static Dataset<Row> widened(SparkSession spark, DataFormat format, String uri, Dataset<Row> raw, int width) {
        if (format != DataFormat.LIBSVM || width <= 0) {
            return raw;
        }
        int found = FrameSource.libsvmWidth(raw);
        return found > 0 && found < width ? FrameSource.read(spark, format, uri, width) : raw;
    }

    /** Whether the data is rows of {@code --format libsvm|parquet|csv} rather than IDX files. */
    boolean isRows() {
        return format != DataFormat.IDX;
    }

    /** {@code option}'s file exists: a usage error naming the option if not. */
    static String existing(HadoopFs fs, String option, String path) {
        if (path == null) {
            throw new UsageException(option + " PATH is required");
        }
        try {
            if (!fs.exists(path)) {
                throw new UsageException(option + ": " + fs.qualify(path) + " does not exist");
            }
            return fs.qualify(path);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UsageException(option + ": " + path + ": cannot read: " + e.getMessage());
        }
    }
}
