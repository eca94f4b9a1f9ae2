package io.shardprop.core.train;

import io.shardprop.core.data.Block;
import io.shardprop.core.exact.ExactSum;
import io.shardprop.core.exact.ExactSumException;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
import io.shardprop.core.model.Trace;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Sums over blocks: the gradient (when {@code withGradient}), the loss, the correct count and the row count.
 * Each block is computed in double, always the same way; from there on the sums are exact
 * ({@link ExactSum}), so the result has the same bits whatever the order and grouping in which blocks are
 * added and sums merged: one process or any number of Spark partitions, first attempts or retried tasks.
 *
 * <p>Mutable and serializable (the zero value and result of Spark's {@code treeAggregate}); {@link #add}
 * and {@link #merge} return {@code this}. Accumulators are allocated on first use, so an empty one is a
 * few hundred bytes.
 */
public final class BlockSums implements Serializable {

    private final Mlp model;
    private final boolean withGradient;
    private ExactSum gradient;
    private final ExactSum loss = new ExactSum(1);
    private long correct;
    private long count;
    /** A block's loss was NaN or infinite: the sums are then only good for reporting that. */
    private boolean nonFinite;

    public BlockSums(Mlp model, boolean withGradient) {
        this.model = model;
        this.withGradient = withGradient;
    }

    /** Forward (and backward, when {@code withGradient}) of one block at {@code params}. */
    public BlockSums add(Block block, double[] params) {
        Workspace w = Workspace.get(model, block.data().size());
        Stats s;
        if (withGradient) {
            Arrays.fill(w.gradient(), 0.0);
            s = model.lossAndGradient(params, block.data().x(), block.data().labels(), w.trace(), w.gradient());
        } else {
            s = model.evaluate(params, block.data().x(), block.data().labels(), w.trace());
        }
        correct += s.correct();
        count += s.count();
        if (!Double.isFinite(s.lossSum())) {
            nonFinite = true; // the step is lost anyway: the trainer stops on the non-finite loss
            return this;
        }
        try {
            if (withGradient) {
                if (gradient == null) {
                    gradient = new ExactSum(w.gradient().length);
                }
                gradient.add(w.gradient(), 0);
            }
            loss.add(0, s.lossSum());
        } catch (ExactSumException e) {
            throw new IllegalStateException("block " + block.index() + ": gradient " + e.getMessage(), e);
        }
        return this;
    }

    /** Adds {@code other}'s sums into this one (exactly). */
    public BlockSums merge(BlockSums other) {
        if (!model.equals(other.model) || withGradient != other.withGradient) {
            throw new IllegalArgumentException("cannot merge sums of " + model + " and " + other.model);
        }
        if (other.gradient != null) {
            if (gradient == null) {
                gradient = new ExactSum(other.gradient.size());
            }
            gradient.merge(other.gradient);
        }
        loss.merge(other.loss);
        correct += other.correct;
        count += other.count;
        nonFinite |= other.nonFinite;
        return this;
    }

    /** The summed gradient, rounded once to double, into {@code out} (zeros if no block was added). */
    public double[] gradient(double[] out) {
        if (gradient == null) {
            Arrays.fill(out, 0.0);
            return out;
        }
        return gradient.toDoubles(out);
    }

    /** Loss sum (NaN if a block's loss was not finite), correct count, row count. */
    public Stats stats() {
        return new Stats(nonFinite ? Double.NaN : loss.toDouble(0), correct, count);
    }

    /** Per-thread buffers reused by every block: the activations trace and a block's gradient. */
    private record Workspace(Trace trace, double[] gradient) {
        private static final ThreadLocal<double[]> GRADIENT = new ThreadLocal<>();

        static Workspace get(Mlp model, int rows) {
            double[] g = GRADIENT.get();
            if (g == null || g.length != model.layout().paramCount()) {
                g = new double[model.layout().paramCount()];
                GRADIENT.set(g);
            }
            return new Workspace(Trace.forThread(model.layout(), rows), g);
        }
    }
}
