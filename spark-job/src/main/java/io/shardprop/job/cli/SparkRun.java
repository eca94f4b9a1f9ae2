package io.shardprop.job.cli;

import org.apache.spark.sql.SparkSession;

/**
 * Runs a command's Spark work in the application's session: the active one when there is one (tests,
 * notebooks), else a new one that is stopped afterwards. Never sets the master.
 */
final class SparkRun {

    /** The Spark part of a command. */
    interface Body {
        void run(SparkSession spark) throws Exception;
    }

    private SparkRun() {
    }

    static void run(String appName, Body body) throws Exception {
        boolean own = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = SparkSession.builder().appName(appName).getOrCreate();
        try {
            body.run(spark);
        } finally {
            if (own) {
                spark.stop();
            }
        }
    }
}
