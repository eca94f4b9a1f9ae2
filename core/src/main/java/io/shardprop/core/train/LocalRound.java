package io.shardprop.core.train;

import io.shardprop.core.data.Deformation;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Stats;
import io.shardprop.core.optim.InnerState;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.OuterOptimizer;
import io.shardprop.core.optim.Optimizer;

import java.util.Arrays;

/**
 * A round of local steps ({@link LocalSteps}): every replica runs its share of the epoch's steps
 * ({@link StepPlan#replicaSteps}) from the same weights, and the outer optimizer steps by the replicas' summed
 * weighted weight changes at the outer learning rate. The epoch is cut into {@code syncsPerEpoch} rounds (no
 * more than a replica's steps).
 */
record LocalRound(Loss loss, LrSchedule schedule, StepPlan plan, Deformation deformation, Trainer.Rounds rounds)
        implements StepStrategy {

    @Override
    public Epoch epoch(int blocks, int epoch) {
        int[][][] steps = plan.replicaSteps(blocks, epoch, rounds.replicas());
        int maxSteps = 0;
        for (int[][] p : steps) {
            maxSteps = Math.max(maxSteps, p.length);
        }
        int syncs = Math.max(1, Math.min(rounds.syncsPerEpoch(), maxSteps));
        long deformSeed = plan.deformSeed(epoch);
        boolean average = rounds.innerState() == InnerState.AVERAGE && rounds.inner().stateSize(1) > 0;
        return new Epoch() {
            /** The replicas' mean end state of the round summed last, kept until {@link #apply} takes it. */
            private double[] nextState;

            @Override
            public int updates() {
                return syncs;
            }

            @Override
            public String name(int k) {
                return " round " + (k + 1) + "/" + syncs;
            }

            @Override
            public Stats sum(int k, double[] params, Optimizer optimizer, GradientSource source, double[] delta) {
                double[] state = average ? outer(optimizer).innerState() : null;
                RoundSums sums = source.localSteps(params, state, round(steps, epoch, k, syncs, deformSeed));
                Stats st = sums.stats();
                if (Double.isFinite(st.lossSum())) {  // NaN after a non-finite local step
                    sums.delta(delta);
                    if (average) {
                        nextState = sums.innerState(params.length, new double[state.length]);
                    }
                }
                return st;
            }

            @Override
            public void apply(int k, Stats sums, double[] params, double[] delta, Optimizer optimizer) {
                optimizer.step(params, delta, rounds.outerLr());
                if (average) {
                    double[] state = outer(optimizer).innerState();
                    for (double x : nextState) {
                        if (!Double.isFinite(x)) {
                            throw new TrainingDivergedException(epoch, k, "the replicas' mean inner state is not finite",
                                    Double.NaN);
                        }
                    }
                    System.arraycopy(nextState, 0, state, 0, state.length);
                }
            }
        };
    }

    @Override
    public String sumIs() {
        return "the weight changes are";
    }

    /**
     * The outer optimizer, which keeps the replicas' averaged inner state: the trainer's optimizer with local steps
     * whose inner state is averaged.
     */
    private OuterOptimizer outer(Optimizer optimizer) {
        if (!(optimizer instanceof OuterOptimizer o) || o.innerState().length != rounds.inner().stateSize(o.size())) {
            throw new IllegalArgumentException("averaging the inner state needs an OuterOptimizer that keeps "
                    + rounds.inner().kind() + "'s state, got " + optimizer.id());
        }
        return o;
    }

    /** Round {@code k} of {@code syncs}: every replica's {@code k}-th share of its steps, with their learning rates. */
    private LocalSteps round(int[][][] plan, int epoch, int k, int syncs, long deformSeed) {
        int replicas = plan.length;
        int[][][] steps = new int[replicas][][];
        double[][] lrs = new double[replicas][];
        long[] prior = new long[replicas];
        int active = 0;
        for (int r = 0; r < replicas; r++) {
            int n = plan[r].length;
            int from = (int) ((long) k * n / syncs);
            int to = (int) ((long) (k + 1) * n / syncs);
            prior[r] = (long) (epoch - 1) * n + from;  // a replica's step count in the run: its epochs are alike
            steps[r] = Arrays.copyOfRange(plan[r], from, to);
            lrs[r] = new double[to - from];
            for (int s = from; s < to; s++) {
                lrs[r][s - from] = schedule.at(epoch, s, n);
            }
            if (to > from) {
                active++;
            }
        }
        double[] weights = new double[replicas];
        for (int r = 0; r < replicas; r++) {
            // mean losses: the replicas' mean delta; the seed loss sums gradients, so its deltas are summed
            weights[r] = steps[r].length == 0 ? 0.0 : loss.gradientScale(active);
        }
        return new LocalSteps(rounds.inner(), replicas, steps, lrs, weights, deformation, deformSeed,
                rounds.innerState(), prior, active == 0 ? 0.0 : 1.0 / active);
    }
}
