package io.shardprop.core.model;

/**
 * The output layer and loss. Both report {@code Σ_i −logp[i, y_i]} and differ in how the gradient is made.
 */
public enum Loss {
    /**
     * The notebook's: Softmax then Log(x + 1e-12), backward from {@code −onehot(label)} through both layers;
     * the gradient is summed over samples ({@code lr} applies to the sum).
     */
    SEED("sum"),
    /** Fused, stable log-softmax cross-entropy ({@code dh = p − y}); the gradient is averaged over the batch. */
    XENT("mean");

    private final String reduction;

    Loss(String reduction) {
        this.reduction = reduction;
    }

    /** {@code sum} or {@code mean}: how per-sample gradients combine into the step's gradient. */
    public String reduction() {
        return reduction;
    }

    /** The factor applied to the summed gradient of {@code count} samples before a step. */
    public double gradientScale(long count) {
        return this == XENT ? 1.0 / count : 1.0;
    }

    /** The command-line name. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
