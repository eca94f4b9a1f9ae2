package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.data.Shift;
import io.shardprop.core.exact.ExactSum;
import io.shardprop.core.exact.ExactSumException;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
import io.shardprop.core.model.Trace;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Sums over blocks, the one aggregator of every pass: training's (the gradient, the loss, the correct and row
 * counts) and evaluation's (the loss, the counts, the {@code k × k} confusion matrix and the {@code keep}
 * worst mistakes). Each block is computed in double, always the same way; from there on the sums are exact
 * ({@link ExactSum}) and the mistakes are ordered by a rule of their own (higher confidence first, then the
 * lower sample index), so the result has the same bits whatever the order and grouping in which blocks are
 * added and sums merged: one process or any number of Spark partitions, first attempts or retried tasks.
 * An evaluation also adds each row's loss exactly on its own, so its loss does not depend on the block size
 * either: {@code evaluate} on a run's test files gives its last {@code test_loss} to the bit.
 *
 * <p>Mutable and serializable (the zero value and result of Spark's {@code aggregate}); {@link #add}
 * and {@link #merge} return {@code this}. Accumulators are allocated on first use, so an empty one is a
 * few hundred bytes.
 */
public final class BlockSums implements Serializable {

    private static final long serialVersionUID = 2L;

    /** A misclassified sample: its index in the data set, its pixels 0–255, labels and confidence. */
    public record Miss(int index, byte[] pixels, int trueLabel, int predicted, double confidence)
            implements Serializable {
    }

    /** Worst first: higher confidence, then lower index. */
    private static final Comparator<Miss> WORST_FIRST = Comparator.comparingDouble(Miss::confidence).reversed()
            .thenComparingInt(Miss::index);

    private final Mlp model;
    private final boolean withGradient;
    /** Evaluation only: mistakes kept (0: none); the confusion matrix is {@code [true·k + predicted]}. */
    private final int keep;
    private final long[] confusion;
    private final List<Miss> worst = new ArrayList<>();
    private ExactSum gradient;
    private final ExactSum loss = new ExactSum(1);
    private long correct;
    private long count;
    /** A block's loss was NaN or infinite: the sums are then only good for reporting that. */
    private boolean nonFinite;
    /** Training only: moves each block's images first ({@link Shift#apply(Block, long)} with {@code shiftSeed}). */
    private Shift shift = Shift.NONE;
    private long shiftSeed;

    /** Sums for a training step ({@code withGradient}) or, without, an evaluation keeping no mistakes. */
    public BlockSums(Mlp model, boolean withGradient) {
        this(model, withGradient, 0);
    }

    private BlockSums(Mlp model, boolean withGradient, int keep) {
        this.model = model;
        this.withGradient = withGradient;
        this.keep = checkedKeep(keep);
        int k = model.layout().classes();
        this.confusion = withGradient ? new long[0] : new long[k * k];
    }

    /** {@code keep}, if it is a number of mistakes to keep (≥ 0). */
    public static int checkedKeep(int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("mistakes to keep: " + keep + " < 0");
        }
        return keep;
    }

    /**
     * Sums for a training step whose blocks have their images moved by {@code shift} first ({@link Shift#NONE}:
     * as they are), by {@link Shift#apply(Block, long)} with the epoch's {@code shiftSeed}.
     */
    public static BlockSums training(Mlp model, Shift shift, long shiftSeed) {
        BlockSums s = new BlockSums(model, true);
        s.shift = shift;
        s.shiftSeed = shiftSeed;
        return s;
    }

    /** Sums for an evaluation: loss, counts, confusion matrix and the {@code keep} worst mistakes. */
    public static BlockSums evaluation(Mlp model, int keep) {
        return new BlockSums(model, false, keep);
    }

    /** Forward (and backward, when {@code withGradient}) of one block at {@code params}. */
    public BlockSums add(Block block, double[] params) {
        int rows = block.data().size();
        Workspace w = Workspace.get(model, rows);
        int[] labels = block.data().labels();
        if (withGradient) {
            Arrays.fill(w.gradient(), 0.0);
            Batch data = shift.apply(block, shiftSeed);
            Stats s = model.lossAndGradient(params, data.x(), labels, w.trace(), w.gradient());
            correct += s.correct();
            count += s.count();
            if (!Double.isFinite(s.lossSum())) {
                nonFinite = true; // the step is lost anyway: the trainer stops on the non-finite loss
                return this;
            }
            try {
                if (gradient == null) {
                    gradient = new ExactSum(w.gradient().length);
                }
                gradient.add(w.gradient(), 0);
                loss.add(0, s.lossSum());
            } catch (ExactSumException e) {
                throw new BlockFailure(block.index(), "gradient " + e.getMessage(), e);
            }
            return this;
        }
        checkLabels(labels, block);
        Trace v = model.forward(params, block.data().x(), w.trace());
        Mat logp = v.logp();
        int k = model.layout().classes();
        for (int i = 0; i < rows; i++) {
            int y = labels[i];
            int p = Mlp.argmax(logp, i);
            double rowLoss = -logp.get(i, y);
            count++;
            if (p == y) {
                correct++;
            }
            confusion[y * k + p]++;
            if (!Double.isFinite(rowLoss)) {
                nonFinite = true;
            } else if (!nonFinite) {
                loss.add(0, rowLoss);
            }
            if (p != y && keep > 0) {
                offer(block.first() + i, block.data().x(), i, y, p, model.probability(v, i, p));
            }
        }
        return this;
    }

    /** Adds {@code other}'s sums into this one (exactly). */
    public BlockSums merge(BlockSums other) {
        if (!model.equals(other.model) || withGradient != other.withGradient || keep != other.keep) {
            throw new IllegalArgumentException("cannot merge sums of " + model + " and " + other.model);
        }
        if (other.gradient != null) {
            if (gradient == null) {
                gradient = new ExactSum(other.gradient.size());
            }
            gradient.merge(other.gradient);
        }
        loss.merge(other.loss);
        correct += other.correct;
        count += other.count;
        nonFinite |= other.nonFinite;
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

    /** The summed gradient, rounded once to double, into {@code out} (zeros if no block was added). */
    public double[] gradient(double[] out) {
        if (gradient == null) {
            Arrays.fill(out, 0.0);
            return out;
        }
        return gradient.toDoubles(out);
    }

    /** Loss sum (NaN if a block's loss was not finite), correct count, row count. */
    public Stats stats() {
        return new Stats(nonFinite ? Double.NaN : loss.toDouble(0), correct, count);
    }

    /** Evaluation: {@code [k][k]}, rows are true labels, columns predicted labels (a copy). */
    public long[][] confusion() {
        int k = model.layout().classes();
        long[][] m = new long[k][k];
        for (int t = 0; t < k && confusion.length > 0; t++) {
            System.arraycopy(confusion, t * k, m[t], 0, k);
        }
        return m;
    }

    /** Evaluation: up to {@code keep} mistakes, worst first. */
    public List<Miss> worst() {
        List<Miss> sorted = new ArrayList<>(worst);
        sorted.sort(WORST_FIRST);
        return sorted;
    }

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

    private void checkLabels(int[] labels, Block block) {
        int k = model.layout().classes();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalStateException("label " + labels[i] + " of sample " + (block.first() + i)
                        + " is not a class of this " + k + "-class model");
            }
        }
    }

    /** Per-thread buffers reused by every block: the activations trace and a block's gradient. */
    private record Workspace(Trace trace, double[] gradient) {
        private static final ThreadLocal<double[]> GRADIENT = new ThreadLocal<>();

        static Workspace get(Mlp model, int rows) {
            double[] g = GRADIENT.get();
            if (g == null || g.length != model.layout().paramCount()) {
                g = new double[model.layout().paramCount()];
                GRADIENT.set(g);
            }
            return new Workspace(Trace.forThread(model.layout(), rows), g);
        }
    }
}
