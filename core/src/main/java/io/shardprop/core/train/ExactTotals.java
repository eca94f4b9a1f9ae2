package io.shardprop.core.train;

import io.shardprop.core.exact.ExactSum;
import io.shardprop.core.model.Stats;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The exact part of every pass's sums, kept and merged one way: a vector (a step's gradient, a round's
 * weight changes; none for an evaluation), the loss, the correct and row counts, and whether a loss was
 * not finite. Vector and loss are {@link ExactSum}s, so the totals have the same bits whatever the order
 * and grouping of their adds and merges. Mutable and serializable; the vector is allocated on first use.
 */
final class ExactTotals implements Serializable {

    private static final long serialVersionUID = 1L;

    private ExactSum vector;
    private final ExactSum loss = new ExactSum(1);
    private long correct;
    private long count;
    /** A loss was NaN or infinite: the totals are then only good for reporting that. */
    private boolean nonFinite;

    /**
     * Adds {@code v} to the vector, exactly.
     *
     * @throws io.shardprop.core.exact.ExactSumException if a value is not finite or too large
     */
    void addVector(double[] v) {
        if (vector == null) {
            vector = new ExactSum(v.length);
        }
        vector.add(v, 0);
    }

    /** Adds {@code lossSum} to the loss, exactly. */
    void addLoss(double lossSum) {
        loss.add(0, lossSum);
    }

    /** Counts {@code rows} rows, {@code rightRows} of them classified correctly. */
    void addCounts(long rightRows, long rows) {
        correct += rightRows;
        count += rows;
    }

    void markNonFinite() {
        nonFinite = true;
    }

    boolean nonFinite() {
        return nonFinite;
    }

    /** Adds {@code other}'s totals into these, exactly. */
    void merge(ExactTotals other) {
        if (other.vector != null) {
            if (vector == null) {
                vector = new ExactSum(other.vector.size());
            }
            vector.merge(other.vector);
        }
        loss.merge(other.loss);
        correct += other.correct;
        count += other.count;
        nonFinite |= other.nonFinite;
    }

    /** The summed vector, rounded once to double, into {@code out} (zeros if nothing was added). */
    double[] vector(double[] out) {
        if (vector == null) {
            Arrays.fill(out, 0.0);
            return out;
        }
        return vector.toDoubles(out);
    }

    /** Components {@code from .. from + out.length - 1} of the summed vector, as {@link #vector(double[])}. */
    double[] vector(int from, double[] out) {
        if (vector == null) {
            Arrays.fill(out, 0.0);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = vector.toDouble(from + i);
        }
        return out;
    }

    /** Loss sum (NaN if a loss was not finite), correct count, row count. */
    Stats stats() {
        return new Stats(nonFinite ? Double.NaN : loss.toDouble(0), correct, count);
    }
}
