package io.shardprop.job.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AggregationTest {

    @Test
    void theTreeIsUsedOnlyWhereSparkWouldAddALevelAtDepthTwo() {
        // Spark's treeAggregate: scale = max(ceil(P^(1/2)), 2); a level while P > scale + ceil(P / scale)
        for (int p = 1; p <= 5; p++) {
            assertFalse(Aggregation.treeAddsLevel(p), "P = " + p);
        }
        for (int p = 6; p <= 2000; p++) {
            assertTrue(Aggregation.treeAddsLevel(p), "P = " + p);
        }
    }
}
