package io.shardprop.job.io;

import io.shardprop.core.linalg.Blas;
import io.shardprop.core.linalg.BlasInfo;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The line that says which BLAS a JVM runs, with a warning when its kernel is a generic one: on the driver
 * at start (before Spark starts, so that the BLAS is loaded before Spark could load one), and once per
 * executor JVM in its own log, since executors may have other libraries or CPUs.
 */
public final class BlasLog {

    private static final Logger LOG = LoggerFactory.getLogger(BlasLog.class);
    private static final AtomicBoolean EXECUTOR_LOGGED = new AtomicBoolean();
    private static final AtomicBoolean DRIVER_LOGGED = new AtomicBoolean();

    private BlasLog() {
    }

    /**
     * Logs the driver's BLAS once, when a command starts its work (after its options and inputs are checked, so
     * that a usage error stays one line).
     */
    public static void driver() {
        if (DRIVER_LOGGED.compareAndSet(false, true)) {
            log("BLAS: {}");
        }
    }

    /** From a task: logs once in an executor JVM, never in the driver's (local mode: same JVM, same BLAS). */
    public static void executorOnce() {
        SparkEnv env = SparkEnv.get();
        if (env != null && !"driver".equals(env.executorId()) && EXECUTOR_LOGGED.compareAndSet(false, true)) {
            log("BLAS on executor " + env.executorId() + ": {}");
        }
    }

    private static void log(String format) {
        BlasInfo info = Blas.info();
        LOG.info(format, info.summary());
        info.warning().ifPresent(LOG::warn);
    }
}
