package io.shardprop.core.train;

import java.util.Map;

/**
 * One epoch's figures, as a row of {@code metrics.csv}: training loss and accuracy from the forward pass
 * before the epoch's update (as the notebook prints them), test loss and accuracy after it (NaN when not
 * measured), the wall time of the training work in seconds, and {@code more} columns by name in their order: a
 * regression's test fit ({@code test_rmse}, {@code test_mae}, {@code test_r2}) and the validation set's figures
 * ({@code val_loss}, {@code val_accuracy} or {@code val_rmse}, ...). Epochs count from 1.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss,
                           double testAccuracy, double seconds, Map<String, Double> more) {

    public EpochMetrics {
        more = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(more));
    }

    /** The figures without further columns. */
    public EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                        double seconds) {
        this(epoch, trainLoss, trainAccuracy, testLoss, testAccuracy, seconds, Map.of());
    }

    /** Column {@code name} of {@link #more}, NaN when absent. */
    public double get(String name) {
        Double v = more.get(name);
        return v == null ? Double.NaN : v;
    }
}
