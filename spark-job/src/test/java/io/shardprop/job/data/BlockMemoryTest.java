package io.shardprop.job.data;

import io.shardprop.job.error.UsageException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A block that cannot be built or expanded is refused before any is, saying what to change. */
class BlockMemoryTest {

    @Test
    void aBlockThatCannotFitAnExecutorIsRefusedWithWhatToChange() {
        UsageException e = assertThrows(UsageException.class,
                () -> BlockMemory.requireFits(100_000, 784, 8, 0, 512L << 20));
        assertTrue(e.getMessage().contains("--block-size: a block of 100000 rows of 785 values takes 628.0 MB")
                && e.getMessage().contains("raise spark.executor.memory"), e.getMessage());
        e = assertThrows(UsageException.class, () -> BlockMemory.requireFits(3_000_000, 1000, 8, 0, Long.MAX_VALUE / 4));
        assertTrue(e.getMessage().contains("more than one array holds"), e.getMessage());
        BlockMemory.requireFits(4096, 784, 8, 0, 512L << 20);  // 25.7 MB, 51 MB while built: fits in 322 MB
    }

    @Test
    void aByteBlockCountsItsExpansionInTheStep() {
        // 40,000 rows: 31.4 MB of bytes, 251 MB expanded to float64: 283 MB, more than 0.6 of 400 MB
        UsageException e = assertThrows(UsageException.class,
                () -> BlockMemory.requireFits(40_000, 784, 1, 8, 400L << 20));
        assertTrue(e.getMessage().contains("takes 31.4 MB (twice that while it is built, and 251.2 MB more while "
                + "the step expands it to 8-byte values)"), e.getMessage());
        BlockMemory.requireFits(40_000, 784, 1, 4, 400L << 20);  // 31.4 + 125.6 MB expanded to float32: fits
    }
}
