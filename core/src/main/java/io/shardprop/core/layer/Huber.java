package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;

/**
 * Huber loss of linear outputs with δ = {@value #DELTA}: each output's residual {@code r = ŷ − t} costs {@code ½r²}
 * where {@code |r| ≤ δ}, else {@code δ(|r| − ½δ)}; backward {@code dŷ = w_i · clamp(r, −δ, δ)} for row weights
 * {@code w}. The targets are row-major, {@code t[i·k + j]}.
 */
public final class Huber {

    /** Where the loss turns from squared to linear, in the targets' units. */
    public static final double DELTA = 1.0;

    private Huber() {
    }

    /** Row {@code i}'s loss, summed over its outputs. */
    public static double rowLoss(Mat y, double[] t, int i) {
        int k = y.cols();
        double s = 0.0;
        for (int j = 0; j < k; j++) {
            double r = Math.abs(y.get(i, j) - t[i * k + j]);
            s += r <= DELTA ? 0.5 * r * r : DELTA * (r - 0.5 * DELTA);
        }
        return s;
    }

    /** {@code dy = w_i · clamp(ŷ − t, −δ, δ)}, {@code w} null for weight 1. {@code dy} modified (may be {@code y}). */
    public static void backward(Mat y, double[] t, double[] w, Mat dy) {
        Shapes.same("Huber", y, dy);
        int k = y.cols();
        for (int i = 0; i < y.rows(); i++) {
            double wi = w == null ? 1.0 : w[i];
            for (int j = 0; j < k; j++) {
                double r = y.get(i, j) - t[i * k + j];
                dy.set(i, j, wi * Math.max(-DELTA, Math.min(DELTA, r)));
            }
        }
    }
}
