package io.shardprop.core.train;

import io.shardprop.core.exact.ExactSum;
import io.shardprop.core.exact.ExactSumException;
import io.shardprop.core.model.Stats;


/**
 * Sums over the replicas of one round of local steps: their weighted deltas (start minus end weights), and
 * the loss, correct and row counts of every local step's forward pass. Each replica is computed in double,
 * always the same way; from there on the sums are exact ({@link ExactSum}, kept as {@link ExactTotals}), so
 * the result has the same bits whichever partitions, threads or retried tasks computed the replicas and in
 * whatever order they merged.
 *
 * <p>Mutable and serializable; {@link #addDelta}, {@link #addStep} and {@link #merge} return {@code this}.
 */
public final class RoundSums implements SlicedSums<RoundSums> {

    private static final long serialVersionUID = 2L;

    private final ExactTotals totals;
    private int replicas;

    public RoundSums() {
        this(new ExactTotals(), 0);
    }

    private RoundSums(ExactTotals totals, int replicas) {
        this.totals = totals;
        this.replicas = replicas;
    }

    @Override
    public RoundSums slice(int piece, int pieces) {
        return new RoundSums(totals.slice(piece, pieces), piece == 0 ? replicas : 0);
    }

    @Override
    public RoundSums joined(java.util.List<RoundSums> pieces) {
        return new RoundSums(ExactTotals.joined(pieces.stream().map(p -> p.totals).toList()),
                pieces.stream().mapToInt(p -> p.replicas).sum());
    }

    /** One local step's forward-pass figures. */
    RoundSums addStep(double lossSum, long stepCorrect, long stepCount, double stepWeight) {
        totals.addCounts(stepCorrect, stepCount);
        totals.addWeight(stepWeight);
        totals.addLoss(lossSum);
        return this;
    }

    /** A replica's weighted delta, added exactly; {@code replica} names it in an error. */
    RoundSums addDelta(double[] d, int replica) {
        try {
            totals.addVector(d);
        } catch (ExactSumException e) {
            throw new IllegalStateException("replica " + replica + ": weight change " + e.getMessage(), e);
        }
        replicas++;
        return this;
    }

    /** A local step's loss or gradient was NaN or infinite: the round is only good for reporting that. */
    RoundSums markNonFinite() {
        totals.markNonFinite();
        return this;
    }

    /** Adds {@code other}'s sums into this one (exactly). */
    public RoundSums merge(RoundSums other) {
        totals.merge(other.totals);
        replicas += other.replicas;
        return this;
    }

    public boolean nonFinite() {
        return totals.nonFinite();
    }

    /** Replicas whose delta was added. */
    public int replicas() {
        return replicas;
    }

    /** The summed weighted deltas, rounded once to double, into {@code out} (zeros if none). */
    public double[] delta(double[] out) {
        return totals.vector(0, out);
    }

    /**
     * The replicas' summed weighted inner states ({@link LocalSteps#averagesState}), which follow the {@code params}
     * deltas, rounded once to double, into {@code out} (zeros if none).
     */
    public double[] innerState(int params, double[] out) {
        return totals.vector(params, out);
    }

    /** Loss sum (NaN after a non-finite step), correct count, row count of all local steps. */
    public Stats stats() {
        return totals.stats();
    }
}
