package io.shardprop.core.model;

/**
 * Sums over a set of samples: {@code lossSum = Σ_i −log p_i[y_i]}, {@code correct = #{argmax logp_i = y_i}}.
 * The notebook's loss and accuracy are {@code lossSum / count} and {@code correct / count}.
 */
public record Stats(double lossSum, long correct, long count) {

    public static final Stats ZERO = new Stats(0.0, 0, 0);

    public Stats plus(Stats o) {
        return new Stats(lossSum + o.lossSum, correct + o.correct, count + o.count);
    }

    /** Mean loss per sample (NaN when empty). */
    public double loss() {
        return lossSum / count;
    }

    /** Fraction of samples classified correctly (NaN when empty). */
    public double accuracy() {
        return (double) correct / count;
    }
}
