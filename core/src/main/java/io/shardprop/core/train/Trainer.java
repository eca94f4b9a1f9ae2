package io.shardprop.core.train;

import io.shardprop.core.data.Shift;
import io.shardprop.core.exact.ExactSumException;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Stats;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.optim.OptimizerSpec;

import java.util.SplittableRandom;

/**
 * The training loop, the same for one process and for Spark: per epoch, the blocks are grouped into
 * steps (all blocks in one step for full-batch training, the notebook's {@code train_one_step}; or a
 * seeded shuffle of the blocks cut into groups of {@code blocksPerStep}); each step sums the gradient over
 * its blocks ({@link GradientSource}), scales it by the loss's reduction and lets the optimizer update the
 * parameters at the schedule's learning rate. Training loss and accuracy of an epoch are those of the
 * forward passes made before each step's update, as the notebook reports them; test figures are measured
 * after the epoch.
 *
 * <p>With {@link #withLocalSteps local steps}, the blocks belong to R replicas (block {@code b} to replica
 * {@code b mod R}); each epoch every replica shuffles its own blocks (seeded by seed, epoch and replica)
 * into mini-batch steps of {@code blocksPerStep / R} blocks, and the epoch is cut into {@code syncs} rounds:
 * per round each replica runs its share of steps from the same weights with a fresh inner optimizer, and
 * the driver applies the outer optimizer (this trainer's {@code optimizer}) to the replicas' averaged delta
 * (summed for the seed loss, whose gradient is a sum). One replica, one step per round and plain SGD is the
 * synchronous loop above. Training loss and accuracy are then those of the local steps' forward passes.
 * {@link #withShift} moves every training block's images before its step, seeded by seed, epoch and block
 * index (a block runs once an epoch), so the moves too are a rule of the plan alone.
 */
public final class Trainer {

    /**
     * Local steps between syncs.
     *
     * @param replicas       R, fixed shards of the blocks
     * @param syncsPerEpoch  rounds per epoch (each a Spark job)
     * @param inner          the replicas' optimizer
     * @param outerLr        the outer optimizer's learning rate (1 with {@code average}: the replicas' mean)
     */
    public record Rounds(int replicas, int syncsPerEpoch, OptimizerSpec inner, double outerLr) {
        public Rounds {
            if (replicas < 1 || syncsPerEpoch < 1 || !(outerLr > 0)) {
                throw new IllegalArgumentException("replicas ≥ 1, syncs per epoch ≥ 1 and outer lr > 0 required");
            }
        }
    }

    private final Loss loss;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final int epochs;
    private final int blocksPerStep;
    private final long seed;
    private final Rounds rounds;
    private final Shift shift;
    /** The last epoch's test pass, for the run's final figures (no second pass). */
    private EvaluationSums lastTest;

    /**
     * @param blocksPerStep blocks per step; 0 for full-batch (one step per epoch over all blocks)
     * @param seed          seeds the per-epoch shuffle of blocks (mini-batch only)
     */
    public Trainer(Loss loss, Optimizer optimizer, LrSchedule schedule, int epochs, int blocksPerStep, long seed) {
        this(loss, optimizer, schedule, epochs, blocksPerStep, seed, null, Shift.NONE);
    }

    private Trainer(Loss loss, Optimizer optimizer, LrSchedule schedule, int epochs, int blocksPerStep, long seed,
                    Rounds rounds, Shift shift) {
        if (epochs < 1 || blocksPerStep < 0) {
            throw new IllegalArgumentException("epochs ≥ 1 and blocks per step ≥ 0 required");
        }
        if (rounds != null && (blocksPerStep == 0 || blocksPerStep % rounds.replicas() != 0)) {
            throw new IllegalArgumentException("local steps need mini-batches of a multiple of R blocks, got "
                    + blocksPerStep + " blocks for " + rounds.replicas() + " replicas");
        }
        this.loss = loss;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.epochs = epochs;
        this.blocksPerStep = blocksPerStep;
        this.seed = seed;
        this.rounds = rounds;
        this.shift = java.util.Objects.requireNonNull(shift, "shift");
    }

    /**
     * This trainer with local steps: {@code optimizer} becomes the outer one (e.g.
     * {@link io.shardprop.core.optim.OuterOptimizer}), {@code blocksPerStep} the blocks of one update across
     * all replicas.
     */
    public Trainer withLocalSteps(Rounds r) {
        return new Trainer(loss, optimizer, schedule, epochs, blocksPerStep, seed, r, shift);
    }

    /**
     * This trainer with every training block's images moved by {@code shift} before its step (or local step),
     * block {@code b} of epoch {@code e} seeded by seed, {@code e} and {@code b} alone (a block runs once an
     * epoch), so the moves are a rule of the plan, the same on any engine and partitioning.
     */
    public Trainer withShift(Shift s) {
        return new Trainer(loss, optimizer, schedule, epochs, blocksPerStep, seed, rounds, s);
    }

    /** The seed of epoch {@code epoch}'s shifts (each block's from it: {@link Shift#apply(io.shardprop.core.data.Block, long)}). */
    private long shiftSeed(int epoch) {
        return seed * 0xBF58476D1CE4E5B9L + epoch * 0x94D049BB133111EBL;
    }

    /** The last test pass this trainer made (its confusion matrix and mistakes too), or null if none. */
    public EvaluationSums lastTest() {
        return lastTest;
    }

    /**
     * Trains {@code params} in place from epoch {@code firstEpoch} (1 for a new run).
     *
     * @param test evaluated after every epoch; null to skip
     */
    public void train(double[] params, int firstEpoch, GradientSource train, GradientSource test,
                      EpochListener listener) throws Exception {
        if (rounds != null) {
            trainRounds(params, firstEpoch, train, test, listener);
            return;
        }
        double[] grad = new double[params.length];
        double lastFinite = Double.NaN;
        for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            int[][] steps = plan(train.blocks(), epoch);
            Stats stats = Stats.ZERO;
            for (int s = 0; s < steps.length; s++) {
                train.describe("epoch " + epoch + "/" + epochs + (steps.length > 1 ? " step " + (s + 1) + "/"
                        + steps.length : ""));
                Stats st;
                try {
                    st = train.lossAndGradient(params, steps[s], shift, shiftSeed(epoch), grad);
                } catch (Exception e) {  // also Spark's SparkException, which Scala throws undeclared
                    if (rootCause(e) instanceof ExactSumException) {
                        throw new TrainingDivergedException(epoch, s, "the gradient is too large to sum exactly ("
                                + whichBlock(e) + ")", lastFinite, e);
                    }
                    throw e;
                }
                if (!Double.isFinite(st.lossSum())) {
                    throw new TrainingDivergedException(epoch, s, "the loss is not finite", lastFinite);
                }
                double scale = loss.gradientScale(st.count());
                for (int i = 0; i < grad.length; i++) {
                    if (!Double.isFinite(grad[i])) {
                        throw new TrainingDivergedException(epoch, s, "the gradient is not finite", lastFinite);
                    }
                    grad[i] *= scale;
                }
                optimizer.step(params, grad, schedule.at(epoch, s, steps.length));
                stats = stats.plus(st);
                listener.onStep(epoch, s + 1, steps.length);
            }
            lastFinite = stats.loss();
            endEpoch(epoch, stats, start, params, test, listener);
        }
    }

    private void endEpoch(int epoch, Stats stats, long start, double[] params, GradientSource test,
                          EpochListener listener) throws Exception {
        double seconds = (System.nanoTime() - start) / 1e9;
        Stats t = null;
        if (test != null) {
            test.describe("epoch " + epoch + "/" + epochs + ": test");
            lastTest = test.evaluation(params);
            t = lastTest.stats();
        }
        listener.onEpoch(new EpochMetrics(epoch, stats.loss(), stats.accuracy(),
                t == null ? Double.NaN : t.loss(), t == null ? Double.NaN : t.accuracy(), seconds), params);
    }

    private void trainRounds(double[] params, int firstEpoch, GradientSource train, GradientSource test,
                             EpochListener listener) throws Exception {
        double[] delta = new double[params.length];
        double lastFinite = Double.NaN;
        for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            int[][][] plan = replicaSteps(train.blocks(), epoch);
            int maxSteps = 0;
            for (int[][] p : plan) {
                maxSteps = Math.max(maxSteps, p.length);
            }
            int syncs = Math.max(1, Math.min(rounds.syncsPerEpoch(), maxSteps));
            Stats stats = Stats.ZERO;
            for (int k = 0; k < syncs; k++) {
                LocalSteps round = round(plan, epoch, k, syncs);
                train.describe("epoch " + epoch + "/" + epochs + " round " + (k + 1) + "/" + syncs);
                RoundSums sums;
                try {
                    sums = train.localSteps(params, round);
                } catch (Exception e) {  // also Spark's SparkException, which Scala throws undeclared
                    if (rootCause(e) instanceof ExactSumException) {
                        throw new TrainingDivergedException(epoch, k, "the weight changes are too large to sum exactly ("
                                + whichBlock(e) + ")", lastFinite, e);
                    }
                    throw e;
                }
                Stats st = sums.stats();
                if (sums.nonFinite() || !Double.isFinite(st.lossSum())) {
                    throw new TrainingDivergedException(epoch, k, "the loss is not finite", lastFinite);
                }
                sums.delta(delta);
                for (double d : delta) {
                    if (!Double.isFinite(d)) {
                        throw new TrainingDivergedException(epoch, k, "the weight changes are not finite", lastFinite);
                    }
                }
                optimizer.step(params, delta, rounds.outerLr());
                stats = stats.plus(st);
                listener.onStep(epoch, k + 1, syncs);
            }
            lastFinite = stats.loss();
            endEpoch(epoch, stats, start, params, test, listener);
        }
    }

    /** Round {@code k} of {@code syncs}: every replica's {@code k}-th share of its steps, with their learning rates. */
    private LocalSteps round(int[][][] plan, int epoch, int k, int syncs) {
        int replicas = plan.length;
        int[][][] steps = new int[replicas][][];
        double[][] lrs = new double[replicas][];
        int active = 0;
        for (int r = 0; r < replicas; r++) {
            int n = plan[r].length;
            int from = (int) ((long) k * n / syncs);
            int to = (int) ((long) (k + 1) * n / syncs);
            steps[r] = java.util.Arrays.copyOfRange(plan[r], from, to);
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
        return new LocalSteps(rounds.inner(), replicas, steps, lrs, weights, shift, shiftSeed(epoch));
    }

    /**
     * Every replica's steps of an epoch: its blocks ({@code b mod R = r}) shuffled by {@code (seed, epoch, r)}
     * and cut into groups of {@code blocksPerStep / R} (the last may be smaller). For one replica the order
     * and groups are those of {@link #plan} with {@code blocksPerStep}.
     */
    public int[][][] replicaSteps(int blocks, int epoch) {
        int replicas = rounds.replicas();
        int perStep = blocksPerStep / replicas;
        int[][][] plan = new int[replicas][][];
        for (int r = 0; r < replicas; r++) {
            int n = Math.max(0, (blocks - r + replicas - 1) / replicas);  // blocks r, r + R, r + 2R, ...
            int[] order = shuffled(n, seed * 0x9E3779B97F4A7C15L + epoch + r * 0xC2B2AE3D27D4EB4FL);
            for (int i = 0; i < n; i++) {
                order[i] = r + order[i] * replicas;  // position in the shard → block index
            }
            int[][] steps = new int[(n + perStep - 1) / perStep][];
            for (int s = 0; s < steps.length; s++) {
                steps[s] = java.util.Arrays.copyOfRange(order, s * perStep, Math.min(n, (s + 1) * perStep));
            }
            plan[r] = steps;
        }
        return plan;
    }

    /**
     * The steps of an epoch: {@code {null}} (all blocks) for full-batch training; otherwise a shuffle of
     * the block indices, seeded by {@code (seed, epoch)} only, cut into groups of {@code blocksPerStep}
     * (the last group may be smaller).
     */
    public int[][] plan(int blocks, int epoch) {
        if (blocksPerStep == 0 || blocksPerStep >= blocks) {
            return blocksPerStep == 0 ? new int[][]{null} : new int[][]{shuffled(blocks, epoch)};
        }
        int[] order = shuffled(blocks, epoch);
        int[][] steps = new int[(blocks + blocksPerStep - 1) / blocksPerStep][];
        for (int s = 0; s < steps.length; s++) {
            steps[s] = java.util.Arrays.copyOfRange(order, s * blocksPerStep, Math.min(blocks, (s + 1) * blocksPerStep));
        }
        return steps;
    }

    private int[] shuffled(int n, int epoch) {
        return shuffled(n, seed * 0x9E3779B97F4A7C15L + epoch);
    }

    private static int[] shuffled(int n, long mix) {
        SplittableRandom rnd = new SplittableRandom(mix);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The failing block's message, found by type in the cause chain (Spark wraps it), else the root cause's. */
    private static String whichBlock(Throwable e) {
        return BlockFailure.in(e).map(f -> f.getMessage().lines().findFirst().orElse(""))
                .orElseGet(() -> rootCause(e).getMessage());
    }

    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }
}
