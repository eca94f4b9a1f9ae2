package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
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
 * confusion matrix and the {@code keep} worst mistakes. Each row's loss is added exactly on its own
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

    /** Sums for an evaluation keeping the {@code keep} worst mistakes (0: none). */
    public EvaluationSums(Mlp model, int keep) {
        this.model = model;
        this.keep = checkedKeep(keep);
        int k = model.layout().classes();
        this.confusion = new long[k * k];
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
        int[] labels = data.labels();
        checkLabels(labels, block);
        Trace v = model.forward(params, data.x(), trace);
        Mat logp = v.logp();
        int k = model.layout().classes();
        for (int i = 0; i < rows; i++) {
            int y = labels[i];
            int p = Mlp.argmax(logp, i);
            double rowLoss = -logp.get(i, y);
            totals.addCounts(p == y ? 1 : 0, 1);
            confusion[y * k + p]++;
            if (!Double.isFinite(rowLoss)) {
                totals.markNonFinite();
            } else if (!totals.nonFinite()) {
                totals.addLoss(rowLoss);
            }
            if (p != y && keep > 0) {
                offer(block.first() + i, data.x(), i, y, p, model.probability(v, i, p));
            }
        }
        return this;
    }

    @Override
    public EvaluationSums merge(EvaluationSums other) {
        if (!model.equals(other.model) || keep != other.keep) {
            throw new IllegalArgumentException("cannot merge sums of " + model + " and " + other.model);
        }
        totals.merge(other.totals);
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
        int k = model.layout().classes();
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
