package io.shardprop.job;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/** One {@code local[2]} SparkSession for a test class, stopped and cleared afterwards. */
public abstract class SparkTestBase {

    protected static SparkSession spark;
    protected static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        start("local[2]");
    }

    /** (Re)starts the shared session on {@code master}, e.g. {@code local[2,4]} to allow task retries. */
    protected static void start(String master) {
        start(master, Map.of());
    }

    /** As {@link #start(String)}, with more Spark settings. */
    protected static void start(String master, Map<String, String> conf) {
        if (spark != null) {
            stopSpark();
        }
        SparkSession.Builder builder = SparkSession.builder()
                .master(master)
                .appName("shardprop-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2");
        conf.forEach(builder::config);
        spark = builder.getOrCreate();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    protected static void stopSpark() {
        if (spark != null) {
            spark.stop();
            spark = null;
            sc = null;
        }
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }
}
