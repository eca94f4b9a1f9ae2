package io.shardprop.core.train;

/** Receives each epoch's metrics and the parameters after its last update (read only). */
public interface EpochListener {
    void onEpoch(EpochMetrics metrics, double[] params) throws Exception;

    /** After step {@code step} (1-based) of {@code steps} in an epoch. */
    default void onStep(int epoch, int step, int steps) {
    }
}
