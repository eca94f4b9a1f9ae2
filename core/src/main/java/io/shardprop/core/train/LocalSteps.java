package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.data.Deformation;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
import io.shardprop.core.model.Trace;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.optim.OptimizerSpec;

import java.io.Serializable;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * One round of local steps, for every replica: from the broadcast weights, replica {@code r} runs its
 * mini-batch steps {@code steps[r]} (each a list of its block indices) with a fresh inner optimizer at the
 * learning rates {@code lrs[r]}, then contributes {@code weights[r]·(start − end)} to the round's exact sum
 * ({@link RoundSums}). Within a replica everything is sequential and in a fixed order (the blocks of a step
 * add their gradients into one buffer, in the order listed), so a replica's contribution depends only on the
 * plan and the broadcast weights: never on where or how often it was computed.
 *
 * <p>The inner optimizer starts from zero state every round (momentum, Adam's moments): state kept on
 * executors would be lost with them, and the round is then exactly restartable from the driver's weights.
 *
 * @param inner   the inner optimizer, created anew for each replica and round
 * @param replicas R; block {@code b} belongs to replica {@code b mod R}
 * @param steps   {@code [replica][step][i]}: block indices; a replica with no step this round has {@code []}
 * @param lrs     {@code [replica][step]}: the learning rate of each local step
 * @param weights {@code [replica]}: the factor of its delta in the sum (1/active replicas for mean losses)
 * @param deformation deforms each block's images before its step ({@link Deformation#NONE}: none), by
 *                {@link Deformation#apply(io.shardprop.core.data.Block, long)}: a rule of the plan alone
 * @param deformSeed the epoch's seed of the deformations
 */
public record LocalSteps(OptimizerSpec inner, int replicas, int[][][] steps, double[][] lrs, double[] weights,
                         Deformation deformation, long deformSeed) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Local steps on the inputs as they are. */
    public LocalSteps(OptimizerSpec inner, int replicas, int[][][] steps, double[][] lrs, double[] weights) {
        this(inner, replicas, steps, lrs, weights, Deformation.NONE, 0L);
    }

    /** The replica that owns block {@code b}: a rule of the block index alone. */
    public static int replicaOf(int block, int replicas) {
        return block % replicas;
    }

    /** The blocks this round's steps use, of every replica. */
    public java.util.BitSet blocks() {
        java.util.BitSet used = new java.util.BitSet();
        for (int[][] replica : steps) {
            for (int[] step : replica) {
                for (int b : step) {
                    used.set(b);
                }
            }
        }
        return used;
    }

    /** Whether replica {@code r} has steps this round. */
    public boolean active(int r) {
        return steps[r].length > 0;
    }

    /**
     * Runs replica {@code r}'s steps from {@code start} and adds its figures to {@code into}.
     *
     * @param block the replica's blocks by index (only those listed in its steps are asked for)
     */
    public RoundSums run(Mlp model, int r, IntFunction<Block> block, double[] start, RoundSums into) {
        if (!active(r)) {
            return into;
        }
        double[] w = start.clone();
        double[] g = new double[w.length];
        Optimizer opt = inner.create(w.length);
        for (int s = 0; s < steps[r].length; s++) {
            Arrays.fill(g, 0.0);
            double lossSum = 0;
            long correct = 0;
            long count = 0;
            for (int b : steps[r][s]) {
                Batch data = deformation.apply(block.apply(b), deformSeed);
                Trace t = Trace.forThread(model.layout(), data.size());
                Stats st = model.lossAndGradient(w, data.x(), data.labels(), t, g);
                lossSum += st.lossSum();
                correct += st.correct();
                count += st.count();
            }
            if (!Double.isFinite(lossSum)) {
                return into.markNonFinite();
            }
            double scale = model.loss().gradientScale(count);
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
                if (!Double.isFinite(g[i])) {
                    return into.markNonFinite();
                }
            }
            opt.step(w, g, lrs[r][s]);
            into.addStep(lossSum, correct, count);
        }
        double f = weights[r];
        for (int i = 0; i < w.length; i++) {
            g[i] = (start[i] - w[i]) * f;
        }
        return into.addDelta(g, r);
    }
}
