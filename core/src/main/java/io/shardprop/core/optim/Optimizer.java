package io.shardprop.core.optim;

import java.util.Map;

/**
 * Updates the flat parameter vector from a gradient. Implementations keep their state (velocities,
 * moments, step count) in flat arrays of the parameters' length, exposed by {@link #state()} so
 * checkpoints can save and restore them. Updates are plain Java loops (no fused multiply-add), so the
 * same inputs give the same bits on every machine.
 */
public interface Optimizer {

    /** {@code params ← update(params, grad, lr)}; {@code params} modified, {@code grad} may be modified. */
    void step(double[] params, double[] grad, double lr);

    /** Named state arrays (live views: loading into them restores the optimizer). */
    Map<String, double[]> state();

    /** Steps taken so far. */
    long steps();

    /** Sets the step count (when restoring a checkpoint). */
    void setSteps(long steps);

    /** The command-line name. */
    String id();
}
