package io.shardprop.job.config;

import java.util.Locale;

/** {@code --format}: how the training and test data are stored. */
public enum DataFormat {
    /** MNIST's IDX files (images and labels, plain or gzipped). */
    IDX,
    /** Spark's LibSVM reader: {@code label index:value ...}, 1-based indices; densified into blocks. */
    LIBSVM,
    /** Parquet: a vector or numeric-array features column, or numeric columns, and a label column. */
    PARQUET,
    /** CSV with a header: numeric columns (all but the label, unless named) and a label column. */
    CSV;

    /** {@code idx}, {@code libsvm}, {@code parquet} or {@code csv}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
