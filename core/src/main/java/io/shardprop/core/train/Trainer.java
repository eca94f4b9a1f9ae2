package io.shardprop.core.train;

import io.shardprop.core.data.Deformation;
import io.shardprop.core.exact.ExactSumException;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Stats;
import io.shardprop.core.model.TargetScaling;
import io.shardprop.core.optim.InnerState;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.optim.OptimizerSpec;

import java.util.Objects;
import java.util.Optional;

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
 * the driver applies the outer optimizer (the one given to {@link #train}) to the replicas' averaged delta
 * (summed for the seed loss, whose gradient is a sum). One replica, one step per round and plain SGD is the
 * synchronous loop above. Training loss and accuracy are then those of the local steps' forward passes.
 * {@link #withDeformation} deforms every training image before its step, seeded by seed, epoch and sample
 * index alone, so the deformations too are the same on any engine and partitioning.
 *
 * <p>Both are one loop over a {@link StepStrategy}: a {@link SynchronousStep} or a {@link LocalRound}.
 * A trainer is immutable: the weights and the optimizer's state are the caller's, trained in place, so the
 * same trainer trains any number of times, each run's result its own ({@link Result}).
 */
public final class Trainer {

    /**
     * Local steps between syncs.
     *
     * @param replicas       R, fixed shards of the blocks
     * @param syncsPerEpoch  rounds per epoch (each a Spark job)
     * @param inner          the replicas' optimizer
     * @param outerLr        the outer optimizer's learning rate (1 with {@code average}: the replicas' mean)
     * @param innerState     the inner optimizer's state across rounds: reset, or averaged with the weights (then
     *                       kept by the outer optimizer: {@link io.shardprop.core.optim.OuterOptimizer#innerState})
     */
    public record Rounds(int replicas, int syncsPerEpoch, OptimizerSpec inner, double outerLr, InnerState innerState) {
        public Rounds {
            if (replicas < 1 || syncsPerEpoch < 1 || !(outerLr > 0)) {
                throw new IllegalArgumentException("replicas ≥ 1, syncs per epoch ≥ 1 and outer lr > 0 required");
            }
            Objects.requireNonNull(innerState, "innerState");
        }

        /** Rounds that start every replica's inner optimizer afresh. */
        public Rounds(int replicas, int syncsPerEpoch, OptimizerSpec inner, double outerLr) {
            this(replicas, syncsPerEpoch, inner, outerLr, InnerState.RESET);
        }
    }

    /**
     * What a training run leaves besides the weights and the optimizer's state.
     *
     * @param lastTest the last epoch's test pass (its confusion matrix and mistakes too, so the run needs no
     *                 second pass); empty without a test source or when no epoch ran
     */
    public record Result(Optional<EvaluationSums> lastTest, int bestEpoch, boolean stoppedEarly) {
        public Result {
            Objects.requireNonNull(lastTest, "lastTest");
        }

        public Result(Optional<EvaluationSums> lastTest) {
            this(lastTest, 0, false);
        }
    }

    private final Loss loss;
    private final LrSchedule schedule;
    private final int epochs;
    private final StepPlan plan;
    /** Local steps, or null for synchronous steps. */
    private final Rounds rounds;
    private final Deformation deformation;
    private final EarlyStopping stopping;
    /** The weights as the test and validation passes take them (a regression's targets unscaled), or null: as trained. */
    private final java.util.function.UnaryOperator<double[]> evaluated;

    /**
     * @param blocksPerStep blocks per step; 0 for full-batch (one step per epoch over all blocks)
     * @param seed          seeds the per-epoch shuffle of blocks (mini-batch only)
     */
    public Trainer(Loss loss, LrSchedule schedule, int epochs, int blocksPerStep, long seed) {
        this(loss, schedule, epochs, new StepPlan(blocksPerStep, seed), null, Deformation.NONE, EarlyStopping.NONE, null);
    }

    private Trainer(Loss loss, LrSchedule schedule, int epochs, StepPlan plan, Rounds rounds, Deformation deformation,
                    EarlyStopping stopping, java.util.function.UnaryOperator<double[]> evaluated) {
        int blocksPerStep = plan.blocksPerStep();
        if (epochs < 1 || blocksPerStep < 0) {
            throw new IllegalArgumentException("epochs ≥ 1 and blocks per step ≥ 0 required");
        }
        if (rounds != null && (blocksPerStep == 0 || blocksPerStep % rounds.replicas() != 0)) {
            throw new IllegalArgumentException("local steps need mini-batches of a multiple of R blocks, got "
                    + blocksPerStep + " blocks for " + rounds.replicas() + " replicas");
        }
        this.loss = loss;
        this.schedule = schedule;
        this.epochs = epochs;
        this.plan = plan;
        this.rounds = rounds;
        this.deformation = Objects.requireNonNull(deformation, "deformation");
        this.stopping = Objects.requireNonNull(stopping, "stopping");
        this.evaluated = evaluated;
    }

    /**
     * This trainer with local steps: the optimizer given to {@link #train} becomes the outer one (e.g.
     * {@link io.shardprop.core.optim.OuterOptimizer}), {@code blocksPerStep} the blocks of one update across
     * all replicas.
     */
    public Trainer withLocalSteps(Rounds r) {
        return new Trainer(loss, schedule, epochs, plan, r, deformation, stopping, evaluated);
    }

    /**
     * This trainer with every training block's images deformed by {@code d} before its step (or local step),
     * sample {@code i} of epoch {@code e} seeded by seed, {@code e} and {@code i} alone
     * ({@link Deformation#sampleSeed}), so the deformations are the same on any engine and partitioning.
     */
    public Trainer withDeformation(Deformation d) {
        return new Trainer(loss, schedule, epochs, plan, rounds, d, stopping, evaluated);
    }

    /**
     * This trainer stopping early on the validation set ({@link #train(double[], Optimizer, int, GradientSource,
     * GradientSource, GradientSource, EarlyStopping.Best, EpochListener)}), the best epoch's weights kept.
     */
    public Trainer withEarlyStopping(EarlyStopping e) {
        return new Trainer(loss, schedule, epochs, plan, rounds, deformation, e, evaluated);
    }

    /**
     * This trainer with a regression's targets scaled by {@code scaling} for training: the test and validation passes
     * take the weights folded back ({@link TargetScaling#fold}), so their figures are in the targets' own units.
     */
    public Trainer withTargetScaling(Layout layout, TargetScaling scaling) {
        return new Trainer(loss, schedule, epochs, plan, rounds, deformation, stopping,
                scaling == null ? null : p -> scaling.fold(layout, p));
    }

    /**
     * Trains {@code params} and {@code optimizer}'s state in place from epoch {@code firstEpoch} (1 for a new
     * run; {@code optimizer} fresh then, or as a checkpoint left it).
     *
     * @param optimizer the optimizer of every step, or with local steps the outer one
     * @param test      evaluated after every epoch; null to skip
     * @throws TrainingDivergedException at the first update whose loss or sums are not finite or too large
     */
    public Result train(double[] params, Optimizer optimizer, int firstEpoch, GradientSource train,
                        GradientSource test, EpochListener listener) throws Exception {
        return train(params, optimizer, firstEpoch, train, test, null, new EarlyStopping.Best(), listener);
    }

    /**
     * As {@link #train(double[], Optimizer, int, GradientSource, GradientSource, EpochListener)}, with a validation set
     * evaluated after every epoch too (its figures in the metrics' {@code val_*} columns; null: none). With
     * {@link #withEarlyStopping early stopping}, training ends once its metric has not improved on {@code best}'s for
     * the patience's epochs, and {@code params} ends as the best epoch's weights; {@code best} (fresh, or as a
     * resumed run's checkpoint left it) is updated as epochs pass.
     */
    public Result train(double[] params, Optimizer optimizer, int firstEpoch, GradientSource train,
                        GradientSource test, GradientSource validation, EarlyStopping.Best best,
                        EpochListener listener) throws Exception {
        if (stopping.enabled() && validation == null) {
            throw new IllegalArgumentException("early stopping needs a validation set");
        }
        boolean stoppedEarly = false;
        int lastEpoch = firstEpoch - 1;
        StepStrategy strategy = rounds == null ? new SynchronousStep(loss, schedule, plan, deformation)
                : new LocalRound(loss, schedule, plan, deformation, rounds);
        double[] direction = new double[params.length];
        double lastFinite = Double.NaN;
        EvaluationSums lastTest = null;
        for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            StepStrategy.Epoch updates = strategy.epoch(train.blocks(), epoch);
            Stats stats = Stats.ZERO;
            for (int u = 0; u < updates.updates(); u++) {
                train.describe("epoch " + epoch + "/" + epochs + updates.name(u));
                Stats st;
                try {
                    st = updates.sum(u, params, optimizer, train, direction);
                } catch (Exception e) {  // also Spark's SparkException, which Scala throws undeclared
                    if (rootCause(e) instanceof ExactSumException) {
                        throw new TrainingDivergedException(epoch, u, strategy.sumIs() + " too large to sum exactly ("
                                + whichBlock(e) + ")", lastFinite, e);
                    }
                    throw e;
                }
                if (!Double.isFinite(st.lossSum())) {
                    throw new TrainingDivergedException(epoch, u, "the loss is not finite", lastFinite);
                }
                for (double d : direction) {
                    if (!Double.isFinite(d)) {
                        throw new TrainingDivergedException(epoch, u, strategy.sumIs() + " not finite", lastFinite);
                    }
                }
                updates.apply(u, st, params, direction, optimizer);
                stats = stats.plus(st);
                listener.onStep(epoch, u + 1, updates.updates());
            }
            lastFinite = stats.loss();
            double seconds = (System.nanoTime() - start) / 1e9;
            Stats t = null;
            java.util.Map<String, Double> more = new java.util.LinkedHashMap<>();
            double[] forEvaluation = evaluated == null || (test == null && validation == null) ? params
                    : evaluated.apply(params);
            if (test != null) {
                test.describe("epoch " + epoch + "/" + epochs + ": test");
                lastTest = test.evaluation(forEvaluation);
                t = lastTest.stats();
                putFit(more, "test_", lastTest);
            }
            if (validation != null) {
                validation.describe("epoch " + epoch + "/" + epochs + ": validation");
                EvaluationSums v = validation.evaluation(forEvaluation);
                more.put("val_loss", v.stats().loss());
                if (v.fit() == null) {
                    more.put("val_accuracy", v.stats().accuracy());
                } else {
                    putFit(more, "val_", v);
                }
                if (stopping.enabled()) {
                    double value = stopping.metric().of(v);
                    if (stopping.metric().better(value, best.value()) || best.epoch() == 0) {
                        best.set(epoch, value, params);
                    }
                    more.put("best_epoch", (double) best.epoch());
                }
            }
            listener.onEpoch(new EpochMetrics(epoch, stats.loss(), stats.accuracy(),
                    t == null ? Double.NaN : t.loss(), t == null ? Double.NaN : t.accuracy(), seconds, more), params);
            lastEpoch = epoch;
            if (stopping.enabled() && epoch - best.epoch() >= stopping.patience() && epoch < epochs) {
                stoppedEarly = true;
                break;
            }
        }
        int bestEpoch = 0;
        double[] kept = stopping.enabled() ? best.params() : null;
        if (kept != null) {
            bestEpoch = best.epoch();
            System.arraycopy(kept, 0, params, 0, params.length);
            if (test != null && bestEpoch != lastEpoch) {
                lastTest = test.evaluation(evaluated == null ? params : evaluated.apply(params));
            }
        }
        return new Result(Optional.ofNullable(lastTest), bestEpoch, stoppedEarly);
    }

    /** A regression evaluation's RMSE, MAE and R² as {@code prefix}-named columns; nothing for a classification. */
    private static void putFit(java.util.Map<String, Double> more, String prefix, EvaluationSums e) {
        EvaluationSums.RegressionFit f = e.fit();
        if (f != null) {
            more.put(prefix + "rmse", f.rmse());
            more.put(prefix + "mae", f.mae());
            more.put(prefix + "r2", f.r2());
        }
    }

    /**
     * The steps of an epoch: {@code {null}} (all blocks) for full-batch training; otherwise a shuffle of
     * the block indices, seeded by {@code (seed, epoch)} only, cut into groups of {@code blocksPerStep}
     * (the last group may be smaller).
     */
    public int[][] plan(int blocks, int epoch) {
        return plan.steps(blocks, epoch);
    }

    /**
     * Every replica's steps of an epoch (local steps only): its blocks ({@code b mod R = r}) shuffled by
     * {@code (seed, epoch, r)} and cut into groups of {@code blocksPerStep / R} (the last may be smaller). For
     * one replica the order and groups are those of {@link #plan} with {@code blocksPerStep}.
     */
    public int[][][] replicaSteps(int blocks, int epoch) {
        return plan.replicaSteps(blocks, epoch, rounds.replicas());
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
