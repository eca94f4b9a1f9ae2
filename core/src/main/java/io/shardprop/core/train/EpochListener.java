package io.shardprop.core.train;

/** Receives each epoch's metrics and the parameters after its last update (read only). */
public interface EpochListener {
    void onEpoch(EpochMetrics metrics, double[] params) throws Exception;
}
