package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.exact.ExactSum;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Trace;
import io.shardprop.core.model.Stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An evaluation's sums over blocks, forward only: the loss, the correct and row counts, the {@code k × k}
 * confusion matrix and the {@code keep} worst mistakes; for a regression model instead, per output, the weighted sums
 * of the squared and absolute residuals, the targets and their squares (RMSE, MAE and R², {@link #fit()}). With row
 * weights, every loss and residual is weighted, the counts are not. Each row's loss is added exactly on its own
 * ({@link ExactTotals}), so the loss does not depend on the block size either: {@code evaluate} on a run's
 * test files gives its last {@code test_loss} to the bit. The mistakes are ordered by a rule of their own
 * (higher confidence first, then the lower sample index), so they too are the same in any merge order.
 */
public final class EvaluationSums implements BlockSums<EvaluationSums> {

    private static final long serialVersionUID = 1L;

    /**
     * A misclassified sample: its index in the data set, its inputs as the model saw them (without the bias
     * column), its labels and the model's probability for the predicted one.
     */
    public record Miss(int index, double[] inputs, int trueLabel, int predicted, double confidence)
            implements Serializable {
    }

    /** Worst first: higher confidence, then lower index. */
    private static final Comparator<Miss> WORST_FIRST = Comparator.comparingDouble(Miss::confidence).reversed()
            .thenComparingInt(Miss::index);

    private final Mlp model;
    /** Mistakes kept (0: none). */
    private final int keep;
    /** {@code [true·k + predicted]}. */
    private final long[] confusion;
    private final List<Miss> worst = new ArrayList<>();
    private final ExactTotals totals = new ExactTotals();
    /**
     * Regression only, for output {@code j} of {@code k}: {@code Σ w r²} at {@code j}, {@code Σ w |r|} at {@code k + j},
     * {@code Σ w t} at {@code 2k + j}, {@code Σ w t²} at {@code 3k + j}; null for classification.
     */
    private final ExactSum residuals;

    /** Sums for an evaluation keeping the {@code keep} worst mistakes (0: none). */
    public EvaluationSums(Mlp model, int keep) {
        this.model = model;
        this.keep = checkedKeep(keep);
        int k = model.layout().classes();
        boolean regression = model.loss().regression();
        this.confusion = new long[regression ? 0 : k * k];
        this.residuals = regression ? new ExactSum(4 * k) : null;
    }

    /** {@code keep}, if it is a number of mistakes to keep (≥ 0). */
    public static int checkedKeep(int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("mistakes to keep: " + keep + " < 0");
        }
        return keep;
    }

    /** Forward of one block at {@code params}: every row's loss, prediction and, if among the worst, mistake. */
    @Override
    public EvaluationSums add(Block block, double[] params) {
        Batch data = block.data().forProducts();
        int rows = data.size();
        Trace trace = Trace.forThread(model.layout(), rows);
        Trace v = model.forward(params, data.x(), trace);
        if (residuals != null) {
            return addRegression(data, v);
        }
        int[] labels = data.labels();
        checkLabels(labels, block);
        Mat logp = v.logp();
        int k = model.layout().classes();
        for (int i = 0; i < rows; i++) {
            int y = labels[i];
            int p = Mlp.argmax(logp, i);
            double w = data.weight(i);
            double rowLoss = -logp.get(i, y);
            totals.addCounts(p == y ? 1 : 0, 1);
            totals.addWeight(w);
            confusion[y * k + p]++;
            if (!Double.isFinite(rowLoss)) {
                totals.markNonFinite();
            } else if (!totals.nonFinite()) {
                totals.addLoss(data.weights() == null ? rowLoss : w * rowLoss);
            }
            if (p != y && keep > 0) {
                offer(block.first() + i, data.x(), i, y, p, model.probability(v, i, p));
            }
        }
        return this;
    }

    /** Every row's loss and, per output, its residual's figures ({@link #residuals}). */
    private EvaluationSums addRegression(Batch data, Trace v) {
        Mat y = v.logits();
        double[] t = data.targets();
        int k = y.cols();
        double[] row = new double[4 * k];
        for (int i = 0; i < data.size(); i++) {
            double w = data.weight(i);
            double rowLoss = w * model.rowLoss(v, t, i);
            totals.addCounts(0, 1);
            totals.addWeight(w);
            if (!Double.isFinite(rowLoss)) {
                totals.markNonFinite();
                continue;
            }
            if (totals.nonFinite()) {
                continue;
            }
            totals.addLoss(rowLoss);
            for (int j = 0; j < k; j++) {
                double target = t[i * k + j];
                double r = y.get(i, j) - target;
                row[j] = w * r * r;
                row[k + j] = w * Math.abs(r);
                row[2 * k + j] = w * target;
                row[3 * k + j] = w * target * target;
            }
            residuals.add(row, 0);
        }
        return this;
    }

    /**
     * A regression's fit, averaged over the outputs: RMSE {@code √(Σ w r² / (k Σ w))}, MAE {@code Σ w |r| / (k Σ w)} and
     * R² (each output's {@code 1 − Σ w r² / Σ w (t − t̄)²}, then their mean, as scikit-learn's {@code r2_score});
     * NaN when a loss was not finite; null for a classification model.
     */
    public RegressionFit fit() {
        if (residuals == null) {
            return null;
        }
        Stats s = totals.stats();
        if (Double.isNaN(s.lossSum())) {
            return new RegressionFit(Double.NaN, Double.NaN, Double.NaN);
        }
        int k = model.layout().classes();
        double weight = s.weight();
        double sse = 0, sae = 0, r2 = 0;
        for (int j = 0; j < k; j++) {
            double se = residuals.toDouble(j);
            sse += se;
            sae += residuals.toDouble(k + j);
            double mean = residuals.toDouble(2 * k + j) / weight;
            double total = residuals.toDouble(3 * k + j) - mean * mean * weight;
            r2 += 1.0 - se / total;
        }
        return new RegressionFit(Math.sqrt(sse / (k * weight)), sae / (k * weight), r2 / k);
    }

    /** A regression's RMSE, MAE and R² ({@link #fit()}). */
    public record RegressionFit(double rmse, double mae, double r2) implements Serializable {
    }

    @Override
    public EvaluationSums merge(EvaluationSums other) {
        if (!model.equals(other.model) || keep != other.keep) {
            throw new IllegalArgumentException("cannot merge sums of " + model + " and " + other.model);
        }
        totals.merge(other.totals);
        if (residuals != null) {
            residuals.merge(other.residuals);
        }
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] += other.confusion[i];
        }
        if (!other.worst.isEmpty()) {
            worst.addAll(other.worst);
            worst.sort(WORST_FIRST);
            worst.subList(Math.min(keep, worst.size()), worst.size()).clear();
        }
        return this;
    }

    /** Loss sum (NaN if a row's loss was not finite), correct count, row count. */
    public Stats stats() {
        return totals.stats();
    }

    /** {@code [k][k]}, rows are true labels, columns predicted labels (a copy). */
    public long[][] confusion() {
        int k = residuals != null ? 0 : model.layout().classes();
        long[][] m = new long[k][k];
        for (int t = 0; t < k; t++) {
            System.arraycopy(confusion, t * k, m[t], 0, k);
        }
        return m;
    }

    /** Up to {@code keep} mistakes, worst first. */
    public List<Miss> worst() {
        List<Miss> sorted = new ArrayList<>(worst);
        sorted.sort(WORST_FIRST);
        return sorted;
    }

    /** Keeps the mistake if it is among the {@code keep} worst so far, replacing the least bad one. */
    private void offer(int index, Inputs x, int row, int trueLabel, int predicted, double confidence) {
        Miss candidate = new Miss(index, null, trueLabel, predicted, confidence);
        int weakest = -1;
        if (worst.size() >= keep) {
            weakest = 0;
            for (int i = 1; i < worst.size(); i++) {
                if (WORST_FIRST.compare(worst.get(i), worst.get(weakest)) > 0) {
                    weakest = i;
                }
            }
            if (WORST_FIRST.compare(candidate, worst.get(weakest)) >= 0) {
                return;
            }
        }
        double[] inputs = new double[x.cols() - 1];  // the last column is the bias's constant 1
        for (int j = 0; j < inputs.length; j++) {
            inputs[j] = x.get(row, j);
        }
        Miss miss = new Miss(index, inputs, trueLabel, predicted, confidence);
        if (weakest < 0) {
            worst.add(miss);
        } else {
            worst.set(weakest, miss);
        }
    }

    private void checkLabels(int[] labels, Block block) {
        int k = model.layout().classes();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalStateException("label " + labels[i] + " of sample " + (block.first() + i)
                        + " is not a class of this " + k + "-class model");
            }
        }
    }
}
