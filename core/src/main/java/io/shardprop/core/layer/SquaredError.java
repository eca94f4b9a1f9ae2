package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;

/**
 * Squared error of linear outputs: row {@code i}'s loss is {@code ½ Σ_j (ŷ_ij − t_ij)²}; backward
 * {@code dŷ_i = w_i (ŷ_i − t_i)} for row weights {@code w}. The targets are row-major, {@code t[i·k + j]}.
 */
public final class SquaredError {

    private SquaredError() {
    }

    /** Row {@code i}'s loss {@code ½ Σ_j (ŷ_ij − t_ij)²}. */
    public static double rowLoss(Mat y, double[] t, int i) {
        int k = y.cols();
        double s = 0.0;
        for (int j = 0; j < k; j++) {
            double r = y.get(i, j) - t[i * k + j];
            s += r * r;
        }
        return 0.5 * s;
    }

    /** {@code dy_i = w_i (ŷ_i − t_i)}, {@code w} null for weight 1. {@code dy} modified (may be {@code y}). */
    public static void backward(Mat y, double[] t, double[] w, Mat dy) {
        Shapes.same("SquaredError", y, dy);
        int k = y.cols();
        for (int i = 0; i < y.rows(); i++) {
            double wi = w == null ? 1.0 : w[i];
            for (int j = 0; j < k; j++) {
                dy.set(i, j, wi * (y.get(i, j) - t[i * k + j]));
            }
        }
    }
}
