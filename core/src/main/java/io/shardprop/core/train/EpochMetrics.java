package io.shardprop.core.train;

/**
 * One epoch's figures, as a row of {@code metrics.csv}: training loss and accuracy from the forward pass
 * before the epoch's update (as the notebook prints them), test loss and accuracy after it (NaN when not
 * measured), and the wall time of the training work in seconds. Epochs count from 1.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss,
                           double testAccuracy, double seconds) {
}
