package io.shardprop.job.data;

import io.shardprop.job.error.UsageException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A block that cannot be built is refused before any is, saying what to change. */
class FrameBlocksTest {

    @Test
    void aBlockThatCannotFitAnExecutorIsRefusedWithWhatToChange() {
        UsageException e = assertThrows(UsageException.class, () -> FrameBlocks.requireFits(100_000, 784, 512L << 20));
        assertTrue(e.getMessage().contains("--block-size: a block of 100000 rows of 785 values takes 628.0 MB")
                && e.getMessage().contains("raise spark.executor.memory"), e.getMessage());
        e = assertThrows(UsageException.class, () -> FrameBlocks.requireFits(3_000_000, 1000, Long.MAX_VALUE / 4));
        assertTrue(e.getMessage().contains("more than one array holds"), e.getMessage());
        FrameBlocks.requireFits(4096, 784, 512L << 20);  // 25.7 MB, 51 MB while built: fits in 322 MB
    }
}
