package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.data.Deformation;
import io.shardprop.core.exact.ExactSumException;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
import io.shardprop.core.model.Trace;

import java.util.Arrays;

/**
 * A training step's sums over its blocks: the gradient of {@code Σ −log p[y]}, the loss, the correct and
 * row counts, exactly ({@link ExactTotals}). Each block's images are deformed first (the step's {@link Deformation}). A block
 * whose gradient cannot be summed exactly fails with a {@link BlockFailure} naming it. Accumulators are
 * allocated on first use, so an empty one is a few hundred bytes.
 */
public final class GradientSums implements BlockSums<GradientSums>, SlicedSums<GradientSums> {

    private static final long serialVersionUID = 1L;

    private final Mlp model;
    /** Moves each block's images first ({@link Deformation#apply(Block, long)} with {@code deformSeed}). */
    private final Deformation deformation;
    private final long deformSeed;
    private final ExactTotals totals;

    /** Sums for a step on the blocks as they are. */
    public GradientSums(Mlp model) {
        this(model, Deformation.NONE, 0L);
    }

    /**
     * Sums for a step whose blocks have their images deformed by {@code deformation} first ({@link Deformation#NONE}: as they
     * are), by {@link Deformation#apply(Block, long)} with the epoch's {@code deformSeed}.
     */
    public GradientSums(Mlp model, Deformation deformation, long deformSeed) {
        this(model, deformation, deformSeed, new ExactTotals());
    }

    private GradientSums(Mlp model, Deformation deformation, long deformSeed, ExactTotals totals) {
        this.model = model;
        this.deformation = java.util.Objects.requireNonNull(deformation, "deformation");
        this.deformSeed = deformSeed;
        this.totals = totals;
    }

    @Override
    public GradientSums slice(int piece, int pieces) {
        return new GradientSums(model, deformation, deformSeed, totals.slice(piece, pieces));
    }

    @Override
    public GradientSums joined(java.util.List<GradientSums> pieces) {
        return new GradientSums(model, deformation, deformSeed,
                ExactTotals.joined(pieces.stream().map(p -> p.totals).toList()));
    }


    /** Forward and backward of one block at {@code params}. */
    @Override
    public GradientSums add(Block block, double[] params) {
        Workspace w = Workspace.get(model, block.data().size());
        Arrays.fill(w.gradient(), 0.0);
        Batch data = deformation.apply(block, deformSeed).forProducts();
        Stats s = model.lossAndGradient(params, data, w.trace(), w.gradient());
        totals.addCounts(s.correct(), s.count());
        totals.addWeight(s.weight());
        if (!Double.isFinite(s.lossSum())) {
            totals.markNonFinite(); // the step is lost anyway: the trainer stops on the non-finite loss
            return this;
        }
        try {
            totals.addVector(w.gradient());
            totals.addLoss(s.lossSum());
        } catch (ExactSumException e) {
            throw new BlockFailure(block.index(), "gradient " + e.getMessage(), e);
        }
        return this;
    }

    @Override
    public GradientSums merge(GradientSums other) {
        if (!model.equals(other.model)) {
            throw new IllegalArgumentException("cannot merge sums of " + model + " and " + other.model);
        }
        totals.merge(other.totals);
        return this;
    }

    /** The summed gradient, rounded once to double, into {@code out} (zeros if no block was added). */
    public double[] gradient(double[] out) {
        return totals.vector(out);
    }

    /** Loss sum (NaN if a block's loss was not finite), correct count, row count. */
    public Stats stats() {
        return totals.stats();
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
