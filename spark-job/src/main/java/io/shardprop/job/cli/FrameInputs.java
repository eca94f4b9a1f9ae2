package io.shardprop.job.cli;

import io.shardprop.job.train.FrameData;

import io.shardprop.job.config.DataFormat;
import io.shardprop.job.data.FrameSource;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;

/**
 * {@code train}'s data when it is not MNIST's IDX files: {@code --format libsvm|parquet|csv}, {@code --train},
 * {@code --test} and {@code --validation} paths (or {@code --validation-fraction} of the training rows held out), and
 * the columns. Without {@code --test}, the validation rows give the test figures too.
 */
final class FrameInputs {

    @Option(names = "--train", paramLabel = "PATH", description = "With --format libsvm|parquet|csv: the training data.")
    String train;
    @Option(names = "--test", paramLabel = "PATH", description = "With --format libsvm|parquet|csv: the test data.")
    String test;
    @Option(names = "--validation", paramLabel = "PATH",
            description = "With --format libsvm|parquet|csv: validation data, evaluated after every epoch (val_* "
                    + "columns; what --early-stopping-patience watches).")
    String validation;
    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0",
            description = "Instead of --validation: the fraction of the training rows held out as the validation "
                    + "set (seeded by --seed); without --test they give the test figures too; 0 = none (default: "
                    + "${DEFAULT-VALUE}).")
    double validationFraction;
    @Mixin
    FrameColumns columns;

    boolean isFrames() {
        return columns.isRows();
    }

    /** Checks the options and that the files exist, before Spark starts. */
    void check(HadoopFs fs) {
        check(fs, false);
    }

    /**
     * As {@link #check(HadoopFs)}; {@code earlyStopping}: the run stops early, so it needs a validation set.
     */
    void check(HadoopFs fs, boolean earlyStopping) {
        if (!isFrames()) {
            if (earlyStopping) {
                throw new UsageException("--early-stopping-patience", "--early-stopping-patience needs a validation "
                        + "set: --format libsvm|parquet|csv with --validation PATH or --validation-fraction F");
            }
            if (columns.task == io.shardprop.job.config.Task.REGRESSION) {
                throw new UsageException("--task", "--task regression needs rows with real targets: --format "
                        + "libsvm|parquet|csv (IDX labels are classes)");
            }
            if (columns.weightCol != null) {
                throw new UsageException("--weight-col", "--weight-col goes with --format libsvm|parquet|csv");
            }
            if (train != null || test != null || validation != null) {
                throw new UsageException("--train and --test go with --format libsvm|parquet|csv; IDX files are "
                        + "--data or --train-images etc.");
            }
            return;
        }
        if (train == null) {
            throw new UsageException("--format " + columns.format.id() + " needs --train PATH");
        }
        if (validation != null && validationFraction > 0) {
            throw new UsageException("--validation and --validation-fraction exclude each other");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new UsageException("--validation-fraction must be in [0, 1), got " + validationFraction);
        }
        if (test == null && validation == null && validationFraction == 0) {
            throw new UsageException("--format " + columns.format.id() + " needs --test PATH, --validation PATH or "
                    + "--validation-fraction F (0 < F < 1)");
        }
        if (earlyStopping && validation == null && validationFraction == 0) {
            throw new UsageException("--early-stopping-patience", "--early-stopping-patience needs a validation set: "
                    + "--validation PATH or --validation-fraction F");
        }
        for (String[] p : new String[][]{{"--train", train}, {"--test", test}, {"--validation", validation}}) {
            try {
                if (p[1] != null && !fs.exists(p[1])) {
                    throw new UsageException(p[0] + ": " + fs.qualify(p[1]) + " does not exist");
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new UsageException(p[0] + ": " + p[1] + ": cannot read: " + e.getMessage());
            }
        }
    }

    /**
     * Reads the data with Spark's readers; {@code seed} splits off the validation rows. Without {@code --test} the
     * validation rows are the test rows too; they are also the validation set (evaluated apart) only when the run
     * stops early on them ({@code earlyStopping}).
     */
    FrameData.Frames load(SparkSession spark, HadoopFs fs, long seed, boolean earlyStopping) {
        String trainUri = fs.qualify(train);
        Dataset<Row> all = columns.read(spark, trainUri, 0);
        int width = columns.format == DataFormat.LIBSVM ? FrameSource.libsvmWidth(all) : 0;
        Dataset<Row> trainRows = all;
        Dataset<Row> val = null;
        String valUri = null;
        if (validation != null) {
            valUri = fs.qualify(validation);
            val = columns.read(spark, valUri, width);
        } else if (validationFraction > 0) {
            Dataset<Row>[] split = all.randomSplit(new double[]{1 - validationFraction, validationFraction}, seed);
            trainRows = split[0];
            val = split[1];
            valUri = trainUri + " (" + validationFraction + " held out)";
        }
        if (test == null) {
            return new FrameData.Frames(trainRows, trainUri, val, valUri, earlyStopping ? val : null,
                    earlyStopping ? valUri : null);
        }
        String testUri = fs.qualify(test);
        return new FrameData.Frames(trainRows, trainUri, columns.read(spark, testUri, width), testUri, val, valUri);
    }
}
