package io.shardprop.job.config;

/**
 * {@code --target-scaling}: how a regression's targets are scaled for training ({@link
 * io.shardprop.core.model.TargetScaling}).
 */
public enum TargetScale {
    /** {@code (y − mean) / std} of the training targets, folded back into the last layer when training ends. */
    STANDARDIZE,
    /** The targets as they are. */
    NONE
}
