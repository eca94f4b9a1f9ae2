package io.shardprop.job.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** {@link ShardPropClassifierTest}'s data for tests of other packages. */
public final class ShardPropClassifierTestAccess {

    private ShardPropClassifierTestAccess() {
    }

    public static Dataset<Row> blobs(int n, int width, long seed) {
        return ShardPropClassifierTest.blobs(n, width, seed);
    }
}
