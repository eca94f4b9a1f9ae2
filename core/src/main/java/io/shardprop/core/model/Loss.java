package io.shardprop.core.model;

/**
 * The output layer and loss. The classification losses report {@code Σ_i w_i · −logp[i, y_i]} and differ in how the
 * gradient is made; the regression losses have a linear output layer and report {@code Σ_i w_i · ℓ(ŷ_i − t_i)}.
 * Each row's weight {@code w_i} is 1 unless the data give one.
 */
public enum Loss {
    /**
     * The notebook's: Softmax then Log(x + 1e-12), backward from {@code −onehot(label)} through both layers;
     * the gradient is summed over samples ({@code lr} applies to the sum).
     */
    SEED("sum", false),
    /** Fused, stable log-softmax cross-entropy ({@code dh = p − y}); the gradient is averaged over the batch. */
    XENT("mean", false),
    /**
     * Regression: linear outputs, squared error {@code ½‖ŷ − t‖²} per row ({@link io.shardprop.core.layer.SquaredError});
     * the gradient is averaged over the batch.
     */
    SQUARED("mean", true),
    /**
     * Regression: linear outputs, Huber loss with δ = 1 per output ({@link io.shardprop.core.layer.Huber}): squared
     * near the target, linear beyond, so outliers pull less; the gradient is averaged over the batch.
     */
    HUBER("mean", true);

    private final String reduction;
    private final boolean regression;

    Loss(String reduction, boolean regression) {
        this.reduction = reduction;
        this.regression = regression;
    }

    /** {@code sum} or {@code mean}: how per-sample gradients combine into the step's gradient. */
    public String reduction() {
        return reduction;
    }

    /** Whether this is a regression loss (real targets, linear outputs) rather than a classification one. */
    public boolean regression() {
        return regression;
    }

    /**
     * The factor applied to the summed gradient of samples whose weights sum to {@code weight} (their count when
     * unweighted) before a step: {@code 1 / weight} for a mean, 1 for a sum.
     */
    public double gradientScale(double weight) {
        return this == SEED ? 1.0 : 1.0 / weight;
    }

    /** The command-line name. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
