package io.shardprop.job.cli;

import io.shardprop.core.data.Block;
import io.shardprop.core.linalg.Precision;
import io.shardprop.job.data.FrameBlocks;
import io.shardprop.job.data.FrameSource;
import io.shardprop.job.io.SparkRun;
import io.shardprop.job.model.SavedModel;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options evaluate and predict share after their {@code --out}: how rows are stored ({@link FrameColumns}),
 * {@code --overwrite} and the {@link Parallelism} of their blocks, and the Spark job they run with them.
 */
final class ScoringOptions {

    @Mixin
    FrameColumns columns;
    @Option(names = "--overwrite", description = "Replace --out if it exists.")
    boolean overwrite;
    @Mixin
    Parallelism parallelism;

    /** The Spark part of a scoring command, given the partitions {@code --partitions} means on this cluster. */
    interface Job {
        void run(SparkSession spark, JavaSparkContext sc, int partitions) throws Exception;
    }

    /** Rows of a LibSVM, Parquet or CSV file to score: their shape, and their cached blocks in row order. */
    record FrameRows(FrameBlocks.Shape shape, JavaRDD<Block> blocks) {
    }

    /** Throws a {@link io.shardprop.job.error.UsageException} naming the option when a value is out of range. */
    void validate() {
        parallelism.validate();
    }

    int blockSize() {
        return parallelism.blockSize();
    }

    /**
     * {@code rows}, read from {@code option}'s file {@code uri}, scanned in one job (bad rows exit 2, and so do
     * labels outside the model's {@code classes} unless that is 0) and checked to have the model's width, as
     * blocks of {@code --block-size} rows over {@code partitions}.
     */
    FrameRows blocks(Dataset<Row> rows, String option, String uri, SavedModel saved, int classes, int partitions,
                     String what) {
        FrameBlocks.Shape shape = FrameColumns.requireWidth(option, uri,
                FrameBlocks.scan(rows, FrameSource.FEATURES, FrameSource.LABEL, classes, uri), saved);
        return new FrameRows(shape, FrameBlocks.load(rows, FrameSource.FEATURES, FrameSource.LABEL, shape,
                blockSize(), partitions, 0, Precision.FLOAT64, what));
    }

    /** Runs {@code job} in the application's session named {@code appName} (see {@link SparkRun#run}). */
    void run(String appName, Job job) throws Exception {
        SparkRun.run(appName, spark -> {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            job.run(spark, sc, parallelism.partitions(sc));
        });
    }
}
