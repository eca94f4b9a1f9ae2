package io.shardprop.core.train;

import io.shardprop.core.data.Block;

import java.io.Serializable;

/**
 * Sums over blocks, the aggregator of every pass: {@link GradientSums} for a training step,
 * {@link EvaluationSums} for an evaluation. Each block is computed in double, always the same way; from
 * there on the sums are exact, so the result has the same bits whatever the order and grouping in which
 * blocks are added and sums merged: one process or any number of Spark partitions, first attempts or
 * retried tasks. Mutable and serializable (the zero value and result of Spark's {@code aggregate});
 * {@link #add} and {@link #merge} return {@code this}.
 *
 * @param <S> the sums themselves
 */
public interface BlockSums<S extends BlockSums<S>> extends Serializable {

    /** Adds block {@code block}'s figures at {@code params}. */
    S add(Block block, double[] params);

    /** Adds {@code other}'s sums into these (exactly). */
    S merge(S other);
}
