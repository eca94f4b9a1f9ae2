package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;

/**
 * Softmax over each row: {@code s_j = exp(x_j − m) / (Σ_k exp(x_k − m) + ε)} with {@code m = max_k x_k}
 * and the notebook's {@code ε = 1e-12}. Subtracting the row maximum changes nothing mathematically
 * (the ε term aside, which it makes smaller still) and keeps {@code exp} from overflowing.
 *
 * <p>Backward applies the Jacobian {@code J_jk = s_j(δ_jk − s_k)} to each row of {@code ds}:
 * {@code dx = ds ⊙ s − s · (ds·s)}, the row-wise form of the notebook's {@code (n, c, c)} tensor product.
 */
public final class Softmax {

    /** The notebook's ε in the denominator. */
    public static final double EPS = 1e-12;

    private Softmax() {
    }

    /** Row-wise softmax of {@code x [n x c]} into {@code s} (modified; may be {@code x}). */
    public static void forward(Mat x, Mat s) {
        Shapes.same("Softmax", x, s);
        int c = x.cols();
        double[] in = x.data();
        double[] out = s.data();
        for (int i = 0; i < x.rows(); i++) {
            int xi = x.offset() + i * c;
            int si = s.offset() + i * c;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, in[xi + j]);
            }
            double sum = 0.0;
            for (int j = 0; j < c; j++) {
                double e = Math.exp(in[xi + j] - max);
                out[si + j] = e;
                sum += e;
            }
            double inv = 1.0 / (sum + EPS);
            for (int j = 0; j < c; j++) {
                out[si + j] *= inv;
            }
        }
    }

    /** {@code dx = ds ⊙ s − s · rowsum(ds ⊙ s)}. {@code dx} modified (may be {@code ds}). */
    public static void backward(Mat s, Mat ds, Mat dx) {
        Shapes.same("Softmax", s, ds);
        Shapes.same("Softmax", s, dx);
        int c = s.cols();
        double[] p = s.data();
        double[] g = ds.data();
        double[] out = dx.data();
        for (int i = 0; i < s.rows(); i++) {
            int pi = s.offset() + i * c;
            int gi = ds.offset() + i * c;
            int oi = dx.offset() + i * c;
            double dot = 0.0;
            for (int j = 0; j < c; j++) {
                dot += g[gi + j] * p[pi + j];
            }
            for (int j = 0; j < c; j++) {
                out[oi + j] = g[gi + j] * p[pi + j] - p[pi + j] * dot;
            }
        }
    }
}
