package io.shardprop.job.io;

import io.shardprop.core.linalg.BlasChoice;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a command's Spark work in the application's session: the active one when there is one (tests,
 * notebooks), else a new one that is stopped afterwards. Never sets the master.
 */
public final class SparkRun {

    /** The Spark part of a command. */
    public interface Body {
        void run(SparkSession spark) throws Exception;
    }

    private SparkRun() {
    }

    /**
     * Task results larger than this go back to the driver through the block manager, one extra round trip
     * per task and step. A training task's result is its exact gradient sums (32 bytes per parameter, 2.5 MB
     * for the notebook's model), so the default of 1 MB sends every one of them the slow way.
     */
    static final String MAX_DIRECT_RESULT = "spark.task.maxDirectResultSize";
    static final String MAX_DIRECT_RESULT_DEFAULT = "64m";
    static final String EXECUTOR_BLAS = "spark.executorEnv." + BlasChoice.ENV;

    /**
     * The application's session, or a new one with ShardProp's defaults for settings the user has not made
     * (spark-submit's {@code --conf} and {@code spark-defaults.conf} win).
     */
    public static SparkSession session(String appName) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        SparkConf conf = new SparkConf();
        if (!conf.contains(MAX_DIRECT_RESULT)) {
            b.config(MAX_DIRECT_RESULT, MAX_DIRECT_RESULT_DEFAULT);
        }
        // The driver's BLAS choice goes to executors a cluster manager starts, unless set for them already.
        String blas = System.getProperty(BlasChoice.PROPERTY, System.getenv(BlasChoice.ENV));
        if (blas != null && !blas.isBlank() && !conf.contains(EXECUTOR_BLAS)) {
            b.config(EXECUTOR_BLAS, blas.trim());
        }
        return b.getOrCreate();
    }

    /** Runs {@code body} in the application's session (started here if there is none, and then stopped). */
    public static void run(String appName, Body body) throws Exception {
        BlasLog.driver();
        boolean own = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = session(appName);
        try {
            body.run(spark);
        } finally {
            if (own) {
                spark.stop();
            }
        }
    }
}
