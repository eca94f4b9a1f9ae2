package io.shardprop.job.cli;

import io.shardprop.job.io.SparkRun;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options evaluate and predict share after their {@code --out}: {@code --overwrite} and the
 * {@link Parallelism} of their blocks, and the Spark job they run with them.
 */
final class ScoringOptions {

    @Option(names = "--overwrite", description = "Replace --out if it exists.")
    boolean overwrite;
    @Mixin
    Parallelism parallelism;

    /** The Spark part of a scoring command, given the partitions {@code --partitions} means on this cluster. */
    interface Job {
        void run(SparkSession spark, JavaSparkContext sc, int partitions) throws Exception;
    }

    /** Throws a {@link io.shardprop.job.error.UsageException} naming the option when a value is out of range. */
    void validate() {
        parallelism.validate();
    }

    int blockSize() {
        return parallelism.blockSize();
    }

    /** Runs {@code job} in the application's session named {@code appName} (see {@link SparkRun#run}). */
    void run(String appName, Job job) throws Exception {
        SparkRun.run(appName, spark -> {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            job.run(spark, sc, parallelism.partitions(sc));
        });
    }
}
