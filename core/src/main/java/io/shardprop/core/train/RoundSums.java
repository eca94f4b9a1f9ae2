package io.shardprop.core.train;

import io.shardprop.core.exact.ExactSum;
import io.shardprop.core.exact.ExactSumException;
import io.shardprop.core.model.Stats;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Sums over the replicas of one round of local steps: their weighted deltas (start minus end weights), and
 * the loss, correct and row counts of every local step's forward pass. Each replica is computed in double,
 * always the same way; from there on the sums are exact ({@link ExactSum}), so the result has the same bits
 * whichever partitions, threads or retried tasks computed the replicas and in whatever order they merged.
 *
 * <p>Mutable and serializable; {@link #addDelta}, {@link #addStep} and {@link #merge} return {@code this}.
 */
public final class RoundSums implements Serializable {

    private static final long serialVersionUID = 1L;

    private ExactSum delta;
    private final ExactSum loss = new ExactSum(1);
    private long correct;
    private long count;
    private int replicas;
    /** A local step's loss or gradient was NaN or infinite: the round is only good for reporting that. */
    private boolean nonFinite;

    /** One local step's forward-pass figures. */
    RoundSums addStep(double lossSum, long stepCorrect, long stepCount) {
        correct += stepCorrect;
        count += stepCount;
        loss.add(0, lossSum);
        return this;
    }

    /** A replica's weighted delta, added exactly; {@code replica} names it in an error. */
    RoundSums addDelta(double[] d, int replica) {
        if (delta == null) {
            delta = new ExactSum(d.length);
        }
        try {
            delta.add(d, 0);
        } catch (ExactSumException e) {
            throw new IllegalStateException("replica " + replica + ": weight change " + e.getMessage(), e);
        }
        replicas++;
        return this;
    }

    RoundSums markNonFinite() {
        nonFinite = true;
        return this;
    }

    public RoundSums merge(RoundSums other) {
        if (other.delta != null) {
            if (delta == null) {
                delta = new ExactSum(other.delta.size());
            }
            delta.merge(other.delta);
        }
        loss.merge(other.loss);
        correct += other.correct;
        count += other.count;
        replicas += other.replicas;
        nonFinite |= other.nonFinite;
        return this;
    }

    public boolean nonFinite() {
        return nonFinite;
    }

    /** Replicas whose delta was added. */
    public int replicas() {
        return replicas;
    }

    /** The summed weighted deltas, rounded once to double, into {@code out} (zeros if none). */
    public double[] delta(double[] out) {
        if (delta == null) {
            Arrays.fill(out, 0.0);
            return out;
        }
        return delta.toDoubles(out);
    }

    /** Loss sum (NaN after a non-finite step), correct count, row count of all local steps. */
    public Stats stats() {
        return new Stats(nonFinite ? Double.NaN : loss.toDouble(0), correct, count);
    }
}
