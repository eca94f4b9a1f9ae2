package io.shardprop.job.config;

import io.shardprop.core.optim.InnerState;
import io.shardprop.core.optim.OuterOptimizer;

/**
 * {@code --replicas}, {@code --syncs-per-epoch}, {@code --outer}, {@code --outer-lr}, {@code --outer-momentum},
 * {@code --inner-state}
 * (checked by their declarations in {@link TrainOptions}): local steps between syncs. With {@code syncsPerEpoch == 0} every mini-batch step is a sync (the synchronous
 * trainer) and the others do not apply.
 */
public record LocalStepOptions(int replicas, int syncsPerEpoch, OuterOptimizer.Kind outer, double outerLr,
                               double outerMomentum, InnerState innerState) {

    /**
     * What a checkpoint records, and a resumed run must match: {@code none} without local steps (the inner state only
     * when averaged, so that checkpoints written before it was a choice still match).
     */
    public String describe() {
        return enabled() ? "replicas=" + replicas + " syncs_per_epoch=" + syncsPerEpoch + " outer=" + outer.id()
                + " outer_lr=" + outerLr + " outer_momentum=" + outerMomentum
                + (innerState == InnerState.RESET ? "" : " inner_state=" + innerState.id()) : "none";
    }

    /** Whether training runs rounds of local steps. */
    public boolean enabled() {
        return syncsPerEpoch > 0;
    }
}
