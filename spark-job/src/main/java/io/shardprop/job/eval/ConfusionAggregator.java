package io.shardprop.job.eval;

import io.shardprop.core.data.Block;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
import io.shardprop.core.model.Trace;
import io.shardprop.job.model.Scorer;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sums over test blocks for {@code evaluate}, the zero value and result of {@code treeAggregate}: the loss
 * sum {@code Σ −logp[i, y_i]}, the correct count and row count (as {@link BlockAggregator} without gradient),
 * the {@code k × k} confusion matrix {@code confusion[true][predicted]}, and the {@code keep} worst mistakes:
 * the misclassified samples with the highest probability for their wrong prediction, ties broken by the
 * lower sample index, so the result does not depend on how blocks are spread over partitions. Mutable:
 * {@link #add} and {@link #merge} return {@code this}.
 */
public final class ConfusionAggregator implements Serializable {

    /** A misclassified sample: its index in the data set, pixels 0–255, labels and confidence. */
    public record Miss(int index, byte[] pixels, int trueLabel, int predicted, double confidence)
            implements Serializable {
    }

    /** Worst first: higher confidence, then lower index. */
    private static final Comparator<Miss> WORST_FIRST = Comparator.comparingDouble(Miss::confidence).reversed()
            .thenComparingInt(Miss::index);

    private final Mlp model;
    private final int keep;
    private final long[] confusion;
    private final List<Miss> worst = new ArrayList<>();
    private double lossSum;
    private long correct;
    private long count;

    /** An empty aggregator that keeps up to {@code keep} mistakes. */
    public ConfusionAggregator(Mlp model, int keep) {
        this.model = model;
        this.keep = keep;
        int k = model.layout().classes();
        this.confusion = new long[k * k];
    }

    /** Forward pass of one block at {@code params} (not modified); counts every row. */
    public ConfusionAggregator add(Block block, double[] params) {
        var data = block.data();
        Trace v = model.forward(params, data.x(), Trace.forThread(model.layout(), data.size()));
        Stats s = Mlp.stats(v.logp(), checked(data.labels(), block));
        lossSum += s.lossSum();
        correct += s.correct();
        count += s.count();
        int k = model.layout().classes();
        for (int i = 0; i < data.size(); i++) {
            int y = data.labels()[i];
            int p = Mlp.argmax(v.logp(), i);
            confusion[y * k + p]++;
            if (p != y) {
                offer(block.first() + i, data.x(), i, y, p, Scorer.probability(model.loss(), v, i, p));
            }
        }
        return this;
    }

    /** Adds {@code other}'s counts and mistakes into this one. */
    public ConfusionAggregator merge(ConfusionAggregator other) {
        if (!model.equals(other.model) || keep != other.keep) {
            throw new IllegalArgumentException("cannot merge aggregators of " + model + " and " + other.model);
        }
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] += other.confusion[i];
        }
        worst.addAll(other.worst);
        worst.sort(WORST_FIRST);
        worst.subList(Math.min(keep, worst.size()), worst.size()).clear();
        lossSum += other.lossSum;
        correct += other.correct;
        count += other.count;
        return this;
    }

    public Stats stats() {
        return new Stats(lossSum, correct, count);
    }

    /** {@code [k][k]}: rows are true labels, columns predicted labels (a copy). */
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

    private void offer(int index, Inputs x, int row, int trueLabel, int predicted, double confidence) {
        if (keep == 0) {
            return;
        }
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
        // x = pixel / 255.0 exactly as built from the bytes, so rounding recovers the byte.
        int pixels = x.cols() - 1;
        byte[] px = new byte[pixels];
        for (int j = 0; j < pixels; j++) {
            px[j] = (byte) Math.round(x.get(row, j) * 255.0);
        }
        Miss miss = new Miss(index, px, trueLabel, predicted, confidence);
        if (weakest < 0) {
            worst.add(miss);
        } else {
            worst.set(weakest, miss);
        }
    }

    private int[] checked(int[] labels, Block block) {
        int k = model.layout().classes();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalStateException("label " + labels[i] + " of sample " + (block.first() + i)
                        + " is not a class of this " + k + "-class model");
            }
        }
        return labels;
    }
}
