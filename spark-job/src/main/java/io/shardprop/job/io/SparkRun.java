package io.shardprop.job.io;

import io.shardprop.core.linalg.BlasChoice;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a command's Spark work in the application's session: the active one when there is one (tests,
 * notebooks), else a new one that is stopped afterwards. Never sets the master.
 */
public final class SparkRun {

    /** The Spark part of a command. */
    public interface Body {
        void run(SparkSession spark) throws Exception;
    }

    /**
     * The Spark part of a command that needs Spark SQL only sometimes (e.g. {@code train}: for rows read from
     * Parquet, not for IDX files): the context now, the session when first asked for.
     */
    public interface ContextBody {
        void run(SparkContext sc, Supplier<SparkSession> session) throws Exception;
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
        defaults(new SparkConf()).forEach(b::config);
        return b.getOrCreate();
    }

    /** ShardProp's defaults for the settings {@code conf} lacks. */
    private static Map<String, String> defaults(SparkConf conf) {
        Map<String, String> d = new LinkedHashMap<>();
        if (!conf.contains(MAX_DIRECT_RESULT)) {
            d.put(MAX_DIRECT_RESULT, MAX_DIRECT_RESULT_DEFAULT);
        }
        // The driver's BLAS choice goes to executors a cluster manager starts, unless set for them already.
        String blas = System.getProperty(BlasChoice.PROPERTY, System.getenv(BlasChoice.ENV));
        if (blas != null && !blas.isBlank() && !conf.contains(EXECUTOR_BLAS)) {
            d.put(EXECUTOR_BLAS, blas.trim());
        }
        return d;
    }

    /**
     * Runs {@code body} on the application's SparkContext: the active session's (tests, notebooks), else a new one,
     * stopped afterwards, with a Spark SQL session made only if the body asks for it (Spark SQL's set-up took
     * 0.5 s of the start here, which a run on IDX files does not need).
     */
    public static void runOnContext(String appName, ContextBody body) throws Exception {
        if (SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined()) {
            run(appName, spark -> body.run(spark.sparkContext(), () -> spark));
            return;
        }
        SparkConf conf = new SparkConf().setAppName(appName);
        defaults(conf).forEach(conf::set);
        Warmup warmup = Warmup.start(conf.get("spark.master", "").startsWith("local"));
        SparkContext sc = SparkContext.getOrCreate(conf);
        try {
            warmup.join();
            body.run(sc, () -> session(appName));
        } finally {
            sc.stop();
        }
    }

    /** Runs {@code body} in the application's session (started here if there is none, and then stopped). */
    public static void run(String appName, Body body) throws Exception {
        boolean own = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        // The BLAS (and, local, the products' compilation) beside the session's start: Spark loads no BLAS there.
        Warmup warmup = Warmup.start(own && new SparkConf().get("spark.master", "").startsWith("local"));
        SparkSession spark = session(appName);
        try {
            warmup.join();
            body.run(spark);
        } finally {
            if (own) {
                spark.stop();
            }
        }
    }
}
