package io.shardprop.job.config;

import java.util.Locale;

/** {@code --engine}: where the blocks are computed, on Spark or in this process (one thread per core). */
public enum Engine {
    SPARK, LOCAL;

    /** {@code spark} or {@code local}, as users write it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
