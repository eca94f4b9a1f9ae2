package io.shardprop.job.train;

import io.shardprop.core.data.Block;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;

import java.io.Serializable;

/**
 * Sums over blocks, the zero value and result of {@code treeAggregate}: the gradient {@code Σ ∂L/∂W}
 * (when {@code withGradient}), the loss sum, the correct count and the row count. Mutable: {@link #add}
 * and {@link #merge} return {@code this}. The gradient array is allocated on first use, so the zero value
 * sent with every task stays a few bytes.
 */
public final class BlockAggregator implements Serializable {

    private final Mlp model;
    private final boolean withGradient;
    private double[] gradient;
    private double lossSum;
    private long correct;
    private long count;

    public BlockAggregator(Mlp model, boolean withGradient) {
        this.model = model;
        this.withGradient = withGradient;
    }

    /** Forward (and backward, when {@code withGradient}) of one block at {@code params}. */
    public BlockAggregator add(Block block, double[] params) {
        var data = block.data();
        var trace = Traces.get(model.layout(), data.size());
        Stats s = withGradient ? model.lossAndGradient(params, data.x(), data.labels(), trace, gradient())
                : model.evaluate(params, data.x(), data.labels(), trace);
        lossSum += s.lossSum();
        correct += s.correct();
        count += s.count();
        return this;
    }

    /** Adds {@code other}'s sums into this one. */
    public BlockAggregator merge(BlockAggregator other) {
        if (!model.equals(other.model) || withGradient != other.withGradient) {
            throw new IllegalArgumentException("cannot merge aggregators of " + model + " and " + other.model);
        }
        if (other.gradient != null) {
            double[] g = gradient();
            for (int i = 0; i < g.length; i++) {
                g[i] += other.gradient[i];
            }
        }
        lossSum += other.lossSum;
        correct += other.correct;
        count += other.count;
        return this;
    }

    /** The summed gradient (zeros if no block was added). */
    public double[] gradient() {
        if (gradient == null) {
            gradient = new double[model.layout().paramCount()];
        }
        return gradient;
    }

    public Stats stats() {
        return new Stats(lossSum, correct, count);
    }
}
