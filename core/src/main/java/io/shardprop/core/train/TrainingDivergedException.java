package io.shardprop.core.train;

/** A non-finite loss or gradient: training stops at that epoch and step. */
public final class TrainingDivergedException extends RuntimeException {

    private final int epoch;

    public TrainingDivergedException(int epoch, int step, String what, double lastFiniteLoss) {
        super("epoch " + epoch + " step " + (step + 1) + ": " + what + " is not finite (last finite loss "
                + (Double.isNaN(lastFiniteLoss) ? "none" : String.format("%.6g", lastFiniteLoss))
                + "); try a lower --lr");
        this.epoch = epoch;
    }

    public int epoch() {
        return epoch;
    }
}
