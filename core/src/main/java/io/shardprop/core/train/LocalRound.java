package io.shardprop.core.train;

import io.shardprop.core.data.Deformation;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Stats;
import io.shardprop.core.optim.LrSchedule;
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
        return new Epoch() {
            @Override
            public int updates() {
                return syncs;
            }

            @Override
            public String name(int k) {
                return " round " + (k + 1) + "/" + syncs;
            }

            @Override
            public Stats sum(int k, double[] params, GradientSource source, double[] delta) {
                RoundSums sums = source.localSteps(params, round(steps, epoch, k, syncs, deformSeed));
                Stats st = sums.stats();
                if (Double.isFinite(st.lossSum())) {  // NaN after a non-finite local step
                    sums.delta(delta);
                }
                return st;
            }

            @Override
            public void apply(int k, Stats sums, double[] params, double[] delta, Optimizer optimizer) {
                optimizer.step(params, delta, rounds.outerLr());
            }
        };
    }

    @Override
    public String sumIs() {
        return "the weight changes are";
    }

    /** Round {@code k} of {@code syncs}: every replica's {@code k}-th share of its steps, with their learning rates. */
    private LocalSteps round(int[][][] plan, int epoch, int k, int syncs, long deformSeed) {
        int replicas = plan.length;
        int[][][] steps = new int[replicas][][];
        double[][] lrs = new double[replicas][];
        int active = 0;
        for (int r = 0; r < replicas; r++) {
            int n = plan[r].length;
            int from = (int) ((long) k * n / syncs);
            int to = (int) ((long) (k + 1) * n / syncs);
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
        return new LocalSteps(rounds.inner(), replicas, steps, lrs, weights, deformation, deformSeed);
    }
}
