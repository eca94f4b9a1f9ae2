package io.shardprop.job.train;

import io.shardprop.core.train.EpochMetrics;

import java.io.IOException;

/** Receives each epoch's metrics and the parameters after its update (read only). */
public interface EpochListener {
    void onEpoch(EpochMetrics metrics, double[] params) throws IOException;
}
