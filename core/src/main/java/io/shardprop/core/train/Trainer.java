package io.shardprop.core.train;

import io.shardprop.core.exact.ExactSumException;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Stats;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Optimizer;

import java.util.SplittableRandom;

/**
 * The training loop, the same for one process and for Spark: per epoch, the blocks are grouped into
 * steps (all blocks in one step for full-batch training, the notebook's {@code train_one_step}; or a
 * seeded shuffle of the blocks cut into groups of {@code blocksPerStep}); each step sums the gradient over
 * its blocks ({@link GradientSource}), scales it by the loss's reduction and lets the optimizer update the
 * parameters at the schedule's learning rate. Training loss and accuracy of an epoch are those of the
 * forward passes made before each step's update, as the notebook reports them; test figures are measured
 * after the epoch.
 */
public final class Trainer {

    private final Loss loss;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final int epochs;
    private final int blocksPerStep;
    private final long seed;

    /**
     * @param blocksPerStep blocks per step; 0 for full-batch (one step per epoch over all blocks)
     * @param seed          seeds the per-epoch shuffle of blocks (mini-batch only)
     */
    public Trainer(Loss loss, Optimizer optimizer, LrSchedule schedule, int epochs, int blocksPerStep, long seed) {
        if (epochs < 1 || blocksPerStep < 0) {
            throw new IllegalArgumentException("epochs ≥ 1 and blocks per step ≥ 0 required");
        }
        this.loss = loss;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.epochs = epochs;
        this.blocksPerStep = blocksPerStep;
        this.seed = seed;
    }

    /**
     * Trains {@code params} in place from epoch {@code firstEpoch} (1 for a new run).
     *
     * @param test evaluated after every epoch; null to skip
     */
    public void train(double[] params, int firstEpoch, GradientSource train, GradientSource test,
                      EpochListener listener) throws Exception {
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
                    st = train.lossAndGradient(params, steps[s], grad);
                } catch (RuntimeException e) {
                    if (rootCause(e) instanceof ExactSumException) {
                        throw new TrainingDivergedException(epoch, s, "the gradient (" + blockMessage(e) + ")", lastFinite);
                    }
                    throw e;
                }
                if (!Double.isFinite(st.lossSum())) {
                    throw new TrainingDivergedException(epoch, s, "the loss", lastFinite);
                }
                double scale = loss.gradientScale(st.count());
                for (int i = 0; i < grad.length; i++) {
                    if (!Double.isFinite(grad[i])) {
                        throw new TrainingDivergedException(epoch, s, "the gradient", lastFinite);
                    }
                    grad[i] *= scale;
                }
                optimizer.step(params, grad, schedule.at(epoch, s, steps.length));
                stats = stats.plus(st);
                listener.onStep(epoch, s + 1, steps.length);
            }
            lastFinite = stats.loss();
            double seconds = (System.nanoTime() - start) / 1e9;
            Stats t = null;
            if (test != null) {
                test.describe("epoch " + epoch + "/" + epochs + ": test");
                t = test.evaluate(params);
            }
            listener.onEpoch(new EpochMetrics(epoch, stats.loss(), stats.accuracy(),
                    t == null ? Double.NaN : t.loss(), t == null ? Double.NaN : t.accuracy(), seconds), params);
        }
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
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
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

    /** The message that names the block, from wherever it sits in the cause chain (Spark wraps it). */
    private static String blockMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("block ")) {
                return t.getMessage().lines().findFirst().orElse("");
            }
        }
        return rootCause(e).getMessage();
    }

    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }
}
