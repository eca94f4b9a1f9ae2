package io.shardprop.core.optim;

/** The step counter every optimizer keeps: {@link #counted()} in each {@code step}, restored from checkpoints. */
abstract class StepCount implements Optimizer {

    private long steps;

    /** Counts one more step; returns the count, this step included. */
    protected final long counted() {
        return ++steps;
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final void setSteps(long steps) {
        this.steps = steps;
    }
}
