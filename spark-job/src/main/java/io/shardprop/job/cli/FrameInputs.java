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
 * {@code train}'s data when it is not MNIST's IDX files: {@code --format libsvm|parquet|csv}, {@code --train}
 * and {@code --test} paths (or {@code --validation-fraction} of the training rows held out), and the columns.
 */
final class FrameInputs {

    @Option(names = "--train", paramLabel = "PATH", description = "With --format libsvm|parquet|csv: the training data.")
    String train;
    @Option(names = "--test", paramLabel = "PATH", description = "With --format libsvm|parquet|csv: the test data.")
    String test;
    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0",
            description = "Without --test: the fraction of the training rows held out as the test set (seeded by "
                    + "--seed); 0 = none (default: ${DEFAULT-VALUE}).")
    double validationFraction;
    @Mixin
    FrameColumns columns;

    boolean isFrames() {
        return columns.isRows();
    }

    /** Checks the options and that the files exist, before Spark starts. */
    void check(HadoopFs fs) {
        if (!isFrames()) {
            if (train != null || test != null) {
                throw new UsageException("--train and --test go with --format libsvm|parquet|csv; IDX files are "
                        + "--data or --train-images etc.");
            }
            return;
        }
        if (train == null) {
            throw new UsageException("--format " + columns.format.id() + " needs --train PATH");
        }
        if (test != null && validationFraction > 0) {
            throw new UsageException("--test and --validation-fraction exclude each other");
        }
        if (test == null && !(validationFraction > 0 && validationFraction < 1)) {
            throw new UsageException("--format " + columns.format.id() + " needs --test PATH or --validation-fraction F "
                    + "(0 < F < 1), got " + validationFraction);
        }
        for (String[] p : new String[][]{{"--train", train}, {"--test", test}}) {
            try {
                if (p[1] != null && !fs.exists(p[1])) {
                    throw new UsageException(p[0] + ": " + fs.qualify(p[1]) + " does not exist");
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new UsageException(p[0] + ": " + p[1] + ": cannot read: " + e.getMessage());
            }
        }
    }

    /** Reads the data with Spark's readers; {@code seed} splits off the validation rows. */
    FrameData.Frames load(SparkSession spark, HadoopFs fs, long seed) {
        String trainUri = fs.qualify(train);
        Dataset<Row> all = columns.read(spark, trainUri, 0);
        if (test != null) {
            String testUri = fs.qualify(test);
            return new FrameData.Frames(all, trainUri, columns.read(spark, testUri,
                    columns.format == DataFormat.LIBSVM ? FrameSource.libsvmWidth(all) : 0), testUri);
        }
        Dataset<Row>[] split = all.randomSplit(new double[]{1 - validationFraction, validationFraction}, seed);
        return new FrameData.Frames(split[0], trainUri, split[1], trainUri + " (" + validationFraction + " held out)");
    }
}
