package io.shardprop.job.ml;

import io.shardprop.core.train.EpochMetrics;

import java.io.Serializable;
import java.util.List;

/**
 * What {@link ShardPropClassifier#fit} measured, one entry per epoch: the mean training loss (as MLPC's
 * {@code objectiveHistory}), the training accuracy, and the seconds each epoch took. The figures are those of
 * the forward passes made during the epoch (before each step's update), as {@code train} prints them.
 *
 * @param epochs every epoch's metrics (test figures are NaN: {@code fit} has no test set)
 */
public record ShardPropSummary(List<EpochMetrics> epochs) implements Serializable {

    public ShardPropSummary {
        epochs = List.copyOf(epochs);
    }

    /** The mean training loss of every epoch. */
    public double[] objectiveHistory() {
        return epochs.stream().mapToDouble(EpochMetrics::trainLoss).toArray();
    }

    /** The training accuracy of every epoch. */
    public double[] accuracyHistory() {
        return epochs.stream().mapToDouble(EpochMetrics::trainAccuracy).toArray();
    }

    /** The number of epochs trained. */
    public int totalIterations() {
        return epochs.size();
    }
}
