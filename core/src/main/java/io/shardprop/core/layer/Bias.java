package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;

/**
 * Bias: {@code y = h + 1·bᵀ} (the row {@code b [1 x k]} added to every row of {@code h [n x k]}, in place);
 * backward {@code db += Σ_rows dy}, and {@code dh = dy} (nothing to compute).
 */
public final class Bias {

    private Bias() {
    }

    /** Adds {@code b} to every row of {@code h} (modified). */
    public static void forward(Mat b, Mat h) {
        check(b, h);
        double[] v = h.data();
        double[] bias = b.data();
        for (int i = 0; i < h.rows(); i++) {
            int row = h.offset() + i * h.cols();
            for (int j = 0; j < h.cols(); j++) {
                v[row + j] += bias[b.offset() + j];
            }
        }
    }

    /** {@code db += Σ_rows dy}. {@code db} modified (accumulated). */
    public static void backward(Mat dy, Mat db) {
        check(db, dy);
        double[] g = dy.data();
        double[] out = db.data();
        for (int i = 0; i < dy.rows(); i++) {
            int row = dy.offset() + i * dy.cols();
            for (int j = 0; j < dy.cols(); j++) {
                out[db.offset() + j] += g[row + j];
            }
        }
    }

    private static void check(Mat b, Mat h) {
        if (b.rows() != 1 || b.cols() != h.cols()) {
            throw new IllegalArgumentException("Bias: b is " + b.shape() + " but h is " + h.shape());
        }
    }
}
