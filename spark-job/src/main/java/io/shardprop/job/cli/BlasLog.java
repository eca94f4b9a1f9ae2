package io.shardprop.job.cli;

import io.shardprop.core.linalg.Blas;
import io.shardprop.core.linalg.BlasInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The start-up line (before Spark starts, so the BLAS is loaded before Spark could load one) that says which BLAS the driver runs, and a warning when its kernel is a generic one. */
public final class BlasLog {

    private static final Logger LOG = LoggerFactory.getLogger(BlasLog.class);

    private BlasLog() {
    }

    public static void log() {
        BlasInfo info = Blas.info();
        LOG.info("BLAS: {}", info.summary());
        info.warning().ifPresent(LOG::warn);
    }
}
