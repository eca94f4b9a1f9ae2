package io.shardprop.job.data;

import io.shardprop.job.config.OptionException;
import org.apache.spark.SparkContext;

import java.util.Locale;

import static io.shardprop.job.config.TrainOptions.BLOCK_SIZE;

/**
 * Whether a block can be built and used in an executor's memory, asked before any data is read (IDX files and
 * frames alike): the block, what it is built from, and, for a byte cache, its expansion in the step, against the
 * share of the heap Spark gives to its work ({@code spark.memory.fraction}, 0.6).
 */
public final class BlockMemory {

    /** Blocks above this many values (of {@code rows × (width + 1)}) are refused: they would not fit an array. */
    static final long MAX_BLOCK_VALUES = Integer.MAX_VALUE - 64;

    private BlockMemory() {
    }

    /**
     * Refuses a block of {@code rows} rows of {@code width} values and the ones column, {@code valueBytes} a value,
     * that the step expands to {@code expandedBytes} a value (0: used as it is): it needs the larger of twice its
     * size (while it is built from its rows) and its size plus its expansion.
     *
     * @param executorBytes an executor's heap ({@link #executorHeap})
     * @throws OptionException naming {@code --block-size}, the sizes and what to change
     */
    public static void requireFits(long rows, int width, int valueBytes, int expandedBytes, long executorBytes) {
        long values = rows * (width + 1);
        long bytes = values * valueBytes;
        long needed = Math.max(2 * bytes, bytes + values * expandedBytes);
        long usable = (long) (executorBytes * 0.6);
        if (values > MAX_BLOCK_VALUES || needed > usable) {
            String expanded = expandedBytes == 0 ? "" : String.format(Locale.ROOT, ", and %.1f MB more while the "
                    + "step expands it to %d-byte values", values * expandedBytes / 1e6, expandedBytes);
            String sizes = String.format(Locale.ROOT, "a block of %d rows of %d values takes %.1f MB (twice that "
                    + "while it is built%s), more than %s", rows, width + 1, bytes / 1e6, expanded,
                    values > MAX_BLOCK_VALUES ? "one array holds" : String.format(Locale.ROOT,
                            "the %.0f MB an executor has for Spark's work (0.6 of %.0f MB)", usable / 1e6,
                            executorBytes / 1e6));
            String memory = values > MAX_BLOCK_VALUES ? "" : " or raise spark.executor.memory";
            throw new OptionException(BLOCK_SIZE, v -> v.name(BLOCK_SIZE) + ": " + sizes + ": use a smaller "
                    + v.name(BLOCK_SIZE) + memory);
        }
    }

    /** An executor's heap: {@code spark.executor.memory}, or in local mode the driver's (the same JVM). */
    public static long executorHeap(SparkContext sc) {
        if (sc.isLocal()) {
            return Runtime.getRuntime().maxMemory();
        }
        return sc.getConf().getSizeAsBytes("spark.executor.memory", "1g");
    }
}
