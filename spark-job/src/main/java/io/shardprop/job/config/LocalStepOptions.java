package io.shardprop.job.config;

import io.shardprop.core.optim.OuterOptimizer;

import io.shardprop.job.error.UsageException;
/**
 * {@code --replicas}, {@code --syncs-per-epoch}, {@code --outer}, {@code --outer-lr}, {@code --outer-momentum}:
 * local steps between syncs. With {@code syncsPerEpoch == 0} every mini-batch step is a sync (the synchronous
 * trainer) and the others do not apply.
 */
public record LocalStepOptions(int replicas, int syncsPerEpoch, OuterOptimizer.Kind outer, double outerLr, double outerMomentum) {

    public static final LocalStepOptions SYNCHRONOUS = new LocalStepOptions(2, 0, OuterOptimizer.Kind.AVERAGE, 1.0, 0.9);

    public LocalStepOptions {
        require(replicas >= 1 && replicas <= 4096, "--replicas must be between 1 and 4096, got " + replicas);
        require(syncsPerEpoch >= 0, "--syncs-per-epoch must be 0 (a sync every step) or positive, got " + syncsPerEpoch);
        require(outer != null, "--outer is required");
        require(outerLr > 0 && Double.isFinite(outerLr), "--outer-lr must be positive and finite, got " + outerLr);
        require(outerMomentum >= 0 && outerMomentum < 1, "--outer-momentum must be in [0, 1), got " + outerMomentum);
    }

    /** What a checkpoint records, and a resumed run must match: {@code none} without local steps. */
    public String describe() {
        return enabled() ? "replicas=" + replicas + " syncs_per_epoch=" + syncsPerEpoch + " outer=" + outer.id()
                + " outer_lr=" + outerLr + " outer_momentum=" + outerMomentum : "none";
    }

    /** Whether training runs rounds of local steps. */
    public boolean enabled() {
        return syncsPerEpoch > 0;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UsageException(message);
        }
    }
}
