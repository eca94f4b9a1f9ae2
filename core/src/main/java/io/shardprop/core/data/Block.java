package io.shardprop.core.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Block {@code index}: samples {@code [first, first + data.size())} of a data set, the unit of work of
 * training. Block boundaries depend only on the sample count and the block size ({@link #ranges}), never
 * on how blocks are spread over machines.
 */
public record Block(int index, int first, Batch data) implements Serializable {

    /** Samples {@code [first, first + rows)}: block number {@code index}. */
    public record Range(int index, int first, int rows) implements Serializable {
    }

    /** The ranges of {@code count} samples in blocks of {@code blockSize}; the last may be shorter. */
    public static List<Range> ranges(int count, int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be at least 1, got " + blockSize);
        }
        List<Range> ranges = new ArrayList<>();
        for (int first = 0, i = 0; first < count; first += blockSize, i++) {
            ranges.add(new Range(i, first, Math.min(blockSize, count - first)));
        }
        return ranges;
    }

    /** A whole data set as blocks (for the single-process trainer). */
    public static List<Block> split(Batch all, int blockSize) {
        List<Block> blocks = new ArrayList<>();
        for (Range r : ranges(all.size(), blockSize)) {
            blocks.add(new Block(r.index(), r.first(), all.rows(r.first(), r.rows())));
        }
        return blocks;
    }
}
