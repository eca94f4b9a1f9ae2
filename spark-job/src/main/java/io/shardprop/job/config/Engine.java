package io.shardprop.job.config;

import java.util.Locale;

/** {@code --engine}: where the blocks are computed, on Spark or in this process (one thread per core). */
public enum Engine {
    SPARK, LOCAL;

    /** The option's value, e.g. in model.json. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
