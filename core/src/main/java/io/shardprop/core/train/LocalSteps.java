package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.data.Deformation;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
import io.shardprop.core.model.Trace;
import io.shardprop.core.optim.InnerState;
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
 * <p>The inner optimizer's state (momentum, Adam's moments) comes from the driver too: zeros every round with
 * {@link InnerState#RESET}, or with {@link InnerState#AVERAGE} the replicas' mean state of the previous sync,
 * broadcast with the weights; each replica then also contributes {@code stateWeight ×} its end state to the sum,
 * after its delta. State kept on executors would be lost with them; this way a round is exactly restartable from
 * what the driver holds.
 *
 * @param inner   the inner optimizer, created anew for each replica and round
 * @param replicas R; block {@code b} belongs to replica {@code b mod R}
 * @param steps   {@code [replica][step][i]}: block indices; a replica with no step this round has {@code []}
 * @param lrs     {@code [replica][step]}: the learning rate of each local step
 * @param weights {@code [replica]}: the factor of its delta in the sum (1/active replicas for mean losses)
 * @param deformation deforms each block's images before its step ({@link Deformation#NONE}: none), by
 *                {@link Deformation#apply(io.shardprop.core.data.Block, long)}: a rule of the plan alone
 * @param deformSeed the epoch's seed of the deformations
 * @param innerState  what the inner optimizer starts each round from and what a replica adds after its delta
 * @param priorSteps  {@code [replica]}: the local steps it ran before this round in the run (Adam's step count
 *                    when the state is averaged)
 * @param stateWeight the factor of a replica's end state in the sum (1/active replicas: their mean)
 */
public record LocalSteps(OptimizerSpec inner, int replicas, int[][][] steps, double[][] lrs, double[] weights,
                         Deformation deformation, long deformSeed, InnerState innerState, long[] priorSteps,
                         double stateWeight) implements Serializable {

    private static final long serialVersionUID = 2L;

    /** Local steps on the inputs as they are, with a fresh inner optimizer every round. */
    public LocalSteps(OptimizerSpec inner, int replicas, int[][][] steps, double[][] lrs, double[] weights) {
        this(inner, replicas, steps, lrs, weights, Deformation.NONE, 0L);
    }

    /** Local steps with a fresh inner optimizer every round. */
    public LocalSteps(OptimizerSpec inner, int replicas, int[][][] steps, double[][] lrs, double[] weights,
                      Deformation deformation, long deformSeed) {
        this(inner, replicas, steps, lrs, weights, deformation, deformSeed, InnerState.RESET, new long[replicas], 0.0);
    }

    /** Whether the replicas' inner states are averaged (and so added after the deltas). */
    public boolean averagesState() {
        return innerState == InnerState.AVERAGE && inner.stateSize(1) > 0;
    }

    /** The length of what a replica adds: its delta, then its inner state when averaged. */
    public int sumLength(int params) {
        return params + (averagesState() ? inner.stateSize(params) : 0);
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
     * @param block      the replica's blocks by index (only those listed in its steps are asked for)
     * @param startState the inner state to start from when {@link #averagesState()} (ignored otherwise)
     */
    public RoundSums run(Mlp model, int r, IntFunction<Block> block, double[] start, double[] startState,
                         RoundSums into) {
        if (!active(r)) {
            return into;
        }
        double[] w = start.clone();
        double[] g = new double[w.length];
        Optimizer opt = inner.create(w.length);
        boolean carry = averagesState();
        if (carry) {
            OptimizerSpec.loadState(opt, startState, 0);
            opt.setSteps(priorSteps[r]);
        }
        for (int s = 0; s < steps[r].length; s++) {
            Arrays.fill(g, 0.0);
            double lossSum = 0;
            long correct = 0;
            long count = 0;
            double weight = 0;
            for (int b : steps[r][s]) {
                Batch data = deformation.apply(block.apply(b), deformSeed).forProducts();
                Trace t = Trace.forThread(model.layout(), data.size());
                Stats st = model.lossAndGradient(w, data, t, g);
                lossSum += st.lossSum();
                correct += st.correct();
                count += st.count();
                weight += st.weight();
            }
            if (!Double.isFinite(lossSum)) {
                return into.markNonFinite();
            }
            double scale = model.loss().gradientScale(weight);
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
                if (!Double.isFinite(g[i])) {
                    return into.markNonFinite();
                }
            }
            opt.step(w, g, lrs[r][s]);
            into.addStep(lossSum, correct, count, weight);
        }
        double f = weights[r];
        double[] d = carry ? new double[sumLength(w.length)] : g;
        for (int i = 0; i < w.length; i++) {
            d[i] = (start[i] - w[i]) * f;
        }
        if (carry) {
            OptimizerSpec.saveState(opt, d, w.length, stateWeight);
        }
        return into.addDelta(d, r);
    }
}
