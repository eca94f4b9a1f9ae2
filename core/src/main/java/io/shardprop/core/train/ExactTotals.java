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
    /** The loss at 0, the rows' weight at 1. */
    private final ExactSum loss = new ExactSum(2);
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

    /** Adds {@code weight} (the rows' weight, their count when they have none) to the total weight, exactly. */
    void addWeight(double weight) {
        loss.add(1, weight);
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

    /**
     * Piece {@code piece} of {@code pieces}: the vector's components {@code [piece·n/pieces, (piece+1)·n/pieces)}, and
     * for piece 0 the loss, counts and non-finite mark too (the other pieces have none). Summing each piece apart and
     * putting them together ({@link #joined}) gives the totals exactly. This one is not modified.
     */
    ExactTotals slice(int piece, int pieces) {
        ExactTotals t = new ExactTotals();
        if (vector != null) {
            long n = vector.size();
            t.vector = vector.slice((int) (piece * n / pieces), (int) ((piece + 1) * n / pieces));
        }
        if (piece == 0) {
            t.loss.merge(loss);
            t.correct = correct;
            t.count = count;
            t.nonFinite = nonFinite;
        }
        return t;
    }

    /** The totals whose {@link #slice}s are {@code pieces}, in order. */
    static ExactTotals joined(java.util.List<ExactTotals> pieces) {
        ExactTotals t = new ExactTotals();
        java.util.List<ExactSum> parts = new java.util.ArrayList<>();
        for (ExactTotals p : pieces) {
            if (p.vector != null) {
                parts.add(p.vector);
            }
            t.loss.merge(p.loss);
            t.correct += p.correct;
            t.count += p.count;
            t.nonFinite |= p.nonFinite;
        }
        if (!parts.isEmpty()) {
            if (parts.size() != pieces.size()) {
                throw new IllegalStateException("some pieces of the summed vector are missing");
            }
            t.vector = ExactSum.concat(parts);
        }
        return t;
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

    /** Loss sum (NaN if a loss was not finite), correct count, row count, weight. */
    Stats stats() {
        return new Stats(nonFinite ? Double.NaN : loss.toDouble(0), correct, count, loss.toDouble(1));
    }
}
