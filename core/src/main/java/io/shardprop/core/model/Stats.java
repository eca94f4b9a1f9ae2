package io.shardprop.core.model;

/**
 * Sums over a set of samples: {@code lossSum = Σ_i w_i ℓ_i} (classification: {@code ℓ_i = −log p_i[y_i]}),
 * {@code correct = #{argmax logp_i = y_i}} (0 for regression), the row count and the rows' weight
 * {@code Σ_i w_i} (the count when the rows have no weights). The notebook's loss and accuracy are
 * {@code lossSum / weight} and {@code correct / count}.
 */
public record Stats(double lossSum, long correct, long count, double weight) {

    public static final Stats ZERO = new Stats(0.0, 0, 0, 0.0);

    /** Sums over {@code count} rows of weight 1. */
    public Stats(double lossSum, long correct, long count) {
        this(lossSum, correct, count, count);
    }

    public Stats plus(Stats o) {
        return new Stats(lossSum + o.lossSum, correct + o.correct, count + o.count, weight + o.weight);
    }

    /** Mean loss per unit of weight, per sample when unweighted (NaN when empty). */
    public double loss() {
        return lossSum / weight;
    }

    /** Fraction of samples classified correctly (NaN when empty). */
    public double accuracy() {
        return (double) correct / count;
    }
}
