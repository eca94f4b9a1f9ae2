package io.shardprop.core.train;

/**
 * A non-finite loss or gradient, or one too large to sum exactly: training stops at that epoch and step
 * (a round, with local steps) with {@code epoch E step S: <problem> (last finite loss L); try a lower --lr}.
 */
public final class TrainingDivergedException extends RuntimeException {

    private final int epoch;

    /**
     * @param step           0-based step (or round) within the epoch
     * @param problem        what went wrong, e.g. {@code the loss is not finite}
     * @param lastFiniteLoss the last epoch's mean loss, NaN in the first epoch
     */
    public TrainingDivergedException(int epoch, int step, String problem, double lastFiniteLoss, Throwable cause) {
        super("epoch " + epoch + " step " + (step + 1) + ": " + problem + " (last finite loss "
                + (Double.isNaN(lastFiniteLoss) ? "none" : String.format("%.6g", lastFiniteLoss))
                + "); try a lower --lr", cause);
        this.epoch = epoch;
    }

    public TrainingDivergedException(int epoch, int step, String problem, double lastFiniteLoss) {
        this(epoch, step, problem, lastFiniteLoss, null);
    }

    public int epoch() {
        return epoch;
    }
}
