package io.shardprop.job.config;

/** {@code --engine}: where the blocks are computed, on Spark or in this process (one thread per core). */
public enum Engine implements OptionValue {
    SPARK, LOCAL
}
