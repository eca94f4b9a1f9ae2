package io.shardprop.job.augment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts cover the rows in order, never cross a file, and are whole files when there are enough files. */
class PartPlanTest {

    private static void assertCovers(PartPlan plan) {
        long next = 0;
        for (PartPlan.Part p : plan.parts()) {
            assertEquals(next, p.first());
            assertTrue(p.first() >= plan.fileStart(p.file())
                    && p.first() + p.rows() <= plan.fileStart(p.file()) + plan.fileRows(p.file()), p.toString());
            next += p.rows();
        }
        assertEquals(plan.rows(), next);
    }

    @Test
    void mnist8mInFilesOfAMillionRowsIsOneTaskPerFile() {
        long rows = 60_000L * 135;
        PartPlan plan = PartPlan.of(rows, 1_000_000, Augmenter.partCount(rows, 1_000_000, 2));
        assertEquals(9, plan.files());
        assertEquals(9, plan.parts().size());
        assertTrue(plan.parts().stream().allMatch(PartPlan.Part::whole));
        assertEquals(100_000, plan.fileRows(8));
        assertEquals("train-images-idx3-ubyte.part-00008.gz", plan.fileName("train-images-idx3-ubyte", 8, true));
        assertCovers(plan);
    }

    @Test
    void oneFileIsCutIntoNearEqualPieces() {
        long rows = 60_000L * 135;
        PartPlan plan = PartPlan.of(rows, 0, Augmenter.partCount(rows, 0, 2));
        assertEquals(1, plan.files());
        assertEquals(17, plan.parts().size());
        assertEquals("train-images-idx3-ubyte", plan.fileName("train-images-idx3-ubyte", 0, false));
        assertCovers(plan);
        PartPlan three = PartPlan.of(300, 0, 3);
        assertEquals(3, three.parts().size());
        assertEquals(100, three.parts().get(2).rows());
        PartPlan split = PartPlan.of(300, 70, 7);  // 5 files, 2 parts each but the last file's rows
        assertEquals(10, split.parts().size());
        assertCovers(split);
    }
}
