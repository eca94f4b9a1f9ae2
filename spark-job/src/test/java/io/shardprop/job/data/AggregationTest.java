package io.shardprop.job.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void bigSumsAreReduceScatteredInPiecesOfAtMostAboutEightMegabytes() {
        assertEquals(0, Aggregation.pieces(2, 79_510, Aggregation.DRIVER_BYTES), "small sums go to the driver whole");
        assertEquals(0, Aggregation.pieces(256, 20_000, Aggregation.DRIVER_BYTES));
        assertEquals(64, Aggregation.pieces(64, 1_000_000, Aggregation.DRIVER_BYTES), "at least one piece a task");
        int twelve = Aggregation.pieces(2, 12_000_000, Aggregation.DRIVER_BYTES);
        assertTrue(twelve >= 17 && 12_000_000L * 12 / twelve <= 8L << 20, "12M components: " + twelve + " pieces");
        assertEquals(Aggregation.pieces(16, 12_000_000, Aggregation.DRIVER_BYTES), twelve, "the pieces' size decides");
        assertEquals(1, Aggregation.pieces(8, 5_000, 0), "at least 4096 components a piece");
    }
}
